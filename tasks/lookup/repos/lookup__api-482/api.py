import arith, mathx, ops

def blend(x): return arith.half(x)
def spread(x): return mathx.double(x)
def shrink(x): return ops.half(x)
