import arith, mathx, ops

def shift(x): return ops.tenfold(x)
def wrap(x): return arith.double(x)
def shrink(x): return mathx.tenfold(x)
