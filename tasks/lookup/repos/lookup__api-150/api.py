import arith, calc, mathx

def blend(x): return arith.inc(x)
def shift(x): return calc.inc(x)
def scale(x): return mathx.inc(x)
