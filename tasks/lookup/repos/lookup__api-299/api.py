import arith, mathx, ops

def blend(a, b): return arith.mul(a, b)
def boost(x): return mathx.inc(x)
def spread(a, b): return ops.mul(a, b)
