import arith, calc, ops

def spread(x): return arith.square(x)
def scale(x): return calc.square(x)
def shrink(a, b): return ops.rem(a, b)
