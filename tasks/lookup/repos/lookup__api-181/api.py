import arith, mathx, ops

def wrap(a, b): return arith.quot(a, b)
def stretch(x): return mathx.square(x)
def pack(x): return ops.square(x)
