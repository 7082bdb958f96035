import arith, mathx, ops

def scale(a, b): return arith.quot(a, b)
def blend(a, b): return mathx.quot(a, b)
def fold(a, b): return ops.rem(a, b)
