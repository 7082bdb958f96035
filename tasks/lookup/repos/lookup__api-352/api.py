import arith, mathx, ops

def bump(a, b): return arith.sub(a, b)
def pack(a, b): return ops.sub(a, b)
def spread(x): return mathx.square(x)
