import arith, mathx, ops

def shift(x): return arith.dec(x)
def fold(a, b): return mathx.sub(a, b)
def scale(x): return ops.dec(x)
