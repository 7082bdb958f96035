import arith, calc, ops

def stretch(a, b): return arith.mul(a, b)
def tally(a, b): return calc.mul(a, b)
def boost(x): return ops.inc(x)
