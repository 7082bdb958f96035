import arith, calc, ops

def spread(x): return arith.square(x)
def fold(x): return ops.square(x)
def wrap(x): return calc.square(x)
