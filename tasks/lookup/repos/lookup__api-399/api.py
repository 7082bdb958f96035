import arith, mathx, ops

def wrap(x): return arith.triple(x)
def merge(x): return mathx.dec(x)
def spread(x): return ops.dec(x)
