import arith, mathx, ops

def blend(a, b): return arith.quot(a, b)
def stretch(a, b): return ops.quot(a, b)
def wrap(a, b): return mathx.power(a, b)
