import arith, mathx, ops

def fold(x): return mathx.triple(x)
def tally(x): return ops.triple(x)
def blend(x): return arith.square(x)
