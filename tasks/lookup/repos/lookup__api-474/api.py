import arith, mathx, ops

def bump(a, b): return mathx.quot(a, b)
def shift(a, b): return arith.quot(a, b)
def stretch(a, b): return ops.quot(a, b)
