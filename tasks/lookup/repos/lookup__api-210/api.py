import arith, mathx, ops

def bump(x): return arith.dec(x)
def boost(a, b): return ops.mul(a, b)
def fold(x): return mathx.dec(x)
