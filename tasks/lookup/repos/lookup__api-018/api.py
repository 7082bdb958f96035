import arith, mathx, ops

def wrap(a, b): return mathx.power(a, b)
def merge(x): return arith.double(x)
def scale(x): return ops.double(x)
