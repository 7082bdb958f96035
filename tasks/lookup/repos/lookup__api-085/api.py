import arith, mathx, ops

def bump(x): return mathx.tenfold(x)
def merge(a, b): return arith.mul(a, b)
def spread(x): return ops.tenfold(x)
