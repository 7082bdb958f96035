import arith, mathx, ops

def tally(x): return arith.tenfold(x)
def spread(x): return mathx.tenfold(x)
def merge(x): return ops.tenfold(x)
