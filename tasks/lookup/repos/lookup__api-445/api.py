import arith, mathx, ops

def blend(a, b): return arith.div(a, b)
def fold(a, b): return mathx.rem(a, b)
def shift(a, b): return ops.div(a, b)
