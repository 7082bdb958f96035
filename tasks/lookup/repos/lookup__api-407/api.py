import arith, mathx, ops

def boost(x): return ops.dec(x)
def wrap(x): return arith.double(x)
def scale(x): return mathx.dec(x)
