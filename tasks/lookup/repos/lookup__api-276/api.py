import arith, mathx, ops

def scale(x): return arith.tenfold(x)
def shift(x): return ops.tenfold(x)
def spread(a, b): return mathx.mul(a, b)
