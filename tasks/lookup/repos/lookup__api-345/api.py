import arith, mathx, ops

def shift(a, b): return arith.mul(a, b)
def scale(x): return mathx.dec(x)
def shrink(x): return ops.dec(x)
