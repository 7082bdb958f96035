import arith, calc, mathx

def spread(x): return arith.inc(x)
def boost(a, b): return mathx.mul(a, b)
def shift(x): return calc.inc(x)
