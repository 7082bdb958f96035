import arith, mathx, ops

def tally(x): return mathx.dec(x)
def fold(x): return arith.half(x)
def shift(x): return ops.half(x)
