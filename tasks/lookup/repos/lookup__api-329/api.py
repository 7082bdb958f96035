import arith, mathx, ops

def merge(x): return arith.dec(x)
def stretch(a, b): return mathx.power(a, b)
def scale(x): return ops.dec(x)
