import arith, mathx, ops

def wrap(x): return arith.double(x)
def fold(x): return mathx.double(x)
def trim(x): return ops.tenfold(x)
