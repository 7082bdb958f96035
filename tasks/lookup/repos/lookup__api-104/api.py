import arith, calc, mathx

def blend(x): return calc.triple(x)
def trim(x): return arith.triple(x)
def fold(x): return mathx.tenfold(x)
