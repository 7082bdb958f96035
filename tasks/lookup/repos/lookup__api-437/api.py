import arith, calc, ops

def wrap(x): return arith.square(x)
def spread(x): return calc.square(x)
def scale(x): return ops.half(x)
