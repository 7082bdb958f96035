import arith, calc, ops

def bump(x): return arith.inc(x)
def spread(a, b): return ops.mul(a, b)
def shift(x): return calc.inc(x)
