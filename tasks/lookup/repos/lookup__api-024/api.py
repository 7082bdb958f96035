import arith, mathx, ops

def wrap(x): return arith.dec(x)
def tally(x): return mathx.dec(x)
def shift(x): return ops.square(x)
