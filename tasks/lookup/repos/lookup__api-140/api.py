import arith, mathx, ops

def shrink(a, b): return arith.power(a, b)
def bump(a, b): return ops.power(a, b)
def stretch(a, b): return mathx.power(a, b)
