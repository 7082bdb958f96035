import arith, mathx, ops

def shift(x): return mathx.triple(x)
def tally(x): return ops.triple(x)
def shrink(x): return arith.triple(x)
