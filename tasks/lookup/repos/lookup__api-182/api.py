import arith, mathx, ops

def wrap(x): return arith.double(x)
def pack(x): return mathx.double(x)
def tally(x): return ops.square(x)
