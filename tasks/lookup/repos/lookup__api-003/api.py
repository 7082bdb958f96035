import arith, mathx, ops

def fold(a, b): return arith.div(a, b)
def shift(a, b): return mathx.rem(a, b)
def bump(a, b): return ops.div(a, b)
