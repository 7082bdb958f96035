import arith, mathx, ops

def boost(x): return arith.double(x)
def shrink(a, b): return ops.rem(a, b)
def scale(x): return mathx.double(x)
