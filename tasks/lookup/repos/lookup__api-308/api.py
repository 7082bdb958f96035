import arith, mathx, ops

def shift(x): return arith.tenfold(x)
def pack(x): return ops.tenfold(x)
def spread(x): return mathx.tenfold(x)
