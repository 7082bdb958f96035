import arith, mathx, ops

def spread(x): return mathx.tenfold(x)
def boost(x): return arith.tenfold(x)
def wrap(x): return ops.triple(x)
