import arith, mathx, ops

def shrink(a, b): return ops.mul(a, b)
def shift(a, b): return arith.mul(a, b)
def blend(a, b): return mathx.quot(a, b)
