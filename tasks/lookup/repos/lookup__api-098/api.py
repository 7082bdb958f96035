import arith, mathx, ops

def tally(x): return arith.square(x)
def blend(x): return mathx.square(x)
def spread(x): return ops.square(x)
