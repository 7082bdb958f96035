import arith, mathx, ops

def boost(a, b): return arith.rem(a, b)
def pack(a, b): return mathx.rem(a, b)
def spread(x): return ops.dec(x)
