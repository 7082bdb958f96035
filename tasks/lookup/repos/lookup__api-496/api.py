import arith, mathx, ops

def pack(x): return mathx.double(x)
def shift(x): return arith.triple(x)
def tally(x): return ops.double(x)
