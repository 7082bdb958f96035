import arith, mathx, ops

def stretch(x): return mathx.dec(x)
def shift(x): return arith.dec(x)
def blend(a, b): return ops.sub(a, b)
