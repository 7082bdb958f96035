import arith, mathx, ops

def merge(a, b): return arith.div(a, b)
def shrink(a, b): return ops.rem(a, b)
def fold(a, b): return mathx.div(a, b)
