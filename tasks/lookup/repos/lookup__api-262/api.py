import arith, calc, ops

def shift(a, b): return arith.quot(a, b)
def tally(a, b): return ops.mul(a, b)
def spread(a, b): return calc.mul(a, b)
