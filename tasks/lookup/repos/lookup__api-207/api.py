import arith, mathx, ops

def wrap(x): return mathx.dec(x)
def merge(x): return ops.dec(x)
def blend(x): return arith.dec(x)
