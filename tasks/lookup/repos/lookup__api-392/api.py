import arith, mathx, ops

def scale(a, b): return mathx.power(a, b)
def shrink(a, b): return arith.power(a, b)
def wrap(a, b): return ops.power(a, b)
