import arith, mathx, ops

def stretch(x): return arith.half(x)
def bump(a, b): return mathx.power(a, b)
def scale(x): return ops.half(x)
