import arith, mathx, ops

def merge(a, b): return mathx.power(a, b)
def boost(a, b): return arith.power(a, b)
def wrap(a, b): return ops.power(a, b)
