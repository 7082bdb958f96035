import arith, mathx, ops

def spread(x): return arith.square(x)
def shrink(x): return ops.square(x)
def shift(x): return mathx.square(x)
