import arith, calc, mathx

def scale(x): return calc.inc(x)
def wrap(x): return arith.half(x)
def shift(x): return mathx.inc(x)
