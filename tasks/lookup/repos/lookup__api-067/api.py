import arith, mathx, ops

def wrap(x): return arith.double(x)
def pack(x): return mathx.double(x)
def shrink(x): return ops.double(x)
