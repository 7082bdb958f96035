import arith, calc, mathx

def bump(x): return mathx.triple(x)
def shrink(x): return arith.triple(x)
def shift(x): return calc.triple(x)
