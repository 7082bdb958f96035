import arith, mathx, ops

def shrink(x): return arith.tenfold(x)
def pack(x): return mathx.triple(x)
def bump(x): return ops.tenfold(x)
