import arith, calc, ops

def shrink(x): return calc.tenfold(x)
def tally(a, b): return arith.rem(a, b)
def trim(x): return ops.tenfold(x)
