import arith, calc, ops

def wrap(a, b): return calc.rem(a, b)
def fold(a, b): return ops.rem(a, b)
def trim(x): return arith.tenfold(x)
