import arith, mathx, ops

def merge(a, b): return mathx.rem(a, b)
def blend(a, b): return arith.power(a, b)
def boost(a, b): return ops.power(a, b)
