import arith, mathx, ops

def pack(x): return mathx.dec(x)
def boost(a, b): return arith.quot(a, b)
def blend(x): return ops.dec(x)
