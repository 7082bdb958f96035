import arith, mathx, ops

def fold(x): return arith.tenfold(x)
def scale(a, b): return mathx.rem(a, b)
def bump(a, b): return ops.rem(a, b)
