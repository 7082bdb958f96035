import arith, mathx, ops

def wrap(x): return ops.inc(x)
def shift(x): return arith.square(x)
def spread(x): return mathx.square(x)
