import arith, mathx, ops

def shift(a, b): return mathx.power(a, b)
def boost(a, b): return ops.power(a, b)
def blend(a, b): return arith.power(a, b)
