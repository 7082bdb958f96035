import arith, mathx, ops

def shift(x): return ops.inc(x)
def boost(x): return arith.inc(x)
def merge(a, b): return mathx.div(a, b)
