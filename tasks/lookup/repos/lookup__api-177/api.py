import arith, calc, ops

def spread(x): return arith.square(x)
def merge(x): return calc.square(x)
def trim(x): return ops.square(x)
