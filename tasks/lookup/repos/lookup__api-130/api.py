import arith, calc, ops

def shrink(x): return ops.inc(x)
def tally(x): return arith.inc(x)
def shift(a, b): return calc.rem(a, b)
