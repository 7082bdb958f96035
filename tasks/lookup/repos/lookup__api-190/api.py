import arith, mathx, ops

def boost(a, b): return mathx.mul(a, b)
def bump(a, b): return arith.mul(a, b)
def spread(a, b): return ops.mul(a, b)
