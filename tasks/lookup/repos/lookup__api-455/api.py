import arith, calc, ops

def bump(a, b): return calc.rem(a, b)
def spread(a, b): return ops.rem(a, b)
def shift(a, b): return arith.add(a, b)
