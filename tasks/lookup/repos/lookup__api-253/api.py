import arith, mathx, ops

def boost(a, b): return arith.sub(a, b)
def scale(a, b): return ops.sub(a, b)
def shift(a, b): return mathx.sub(a, b)
