import arith, mathx, ops

def merge(x): return ops.double(x)
def trim(x): return arith.tenfold(x)
def bump(x): return mathx.tenfold(x)
