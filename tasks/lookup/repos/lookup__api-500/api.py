import arith, mathx, ops

def scale(x): return arith.dec(x)
def shrink(x): return mathx.dec(x)
def wrap(x): return ops.dec(x)
