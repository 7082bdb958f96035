import arith, mathx, ops

def fold(x): return ops.dec(x)
def pack(a, b): return arith.sub(a, b)
def blend(x): return mathx.dec(x)
