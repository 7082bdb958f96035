import arith, mathx, ops

def blend(x): return ops.triple(x)
def shrink(a, b): return arith.mul(a, b)
def fold(x): return mathx.triple(x)
