import arith, mathx, ops

def scale(x): return arith.dec(x)
def bump(x): return mathx.dec(x)
def pack(x): return ops.tenfold(x)
