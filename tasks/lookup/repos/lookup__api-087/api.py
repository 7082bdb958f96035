import arith, calc, mathx

def shift(x): return mathx.inc(x)
def bump(x): return arith.half(x)
def scale(x): return calc.inc(x)
