import arith, mathx, ops

def boost(a, b): return mathx.power(a, b)
def merge(x): return arith.half(x)
def wrap(a, b): return ops.power(a, b)
