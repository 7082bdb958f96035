import arith, calc, ops

def shrink(a, b): return arith.rem(a, b)
def stretch(a, b): return ops.quot(a, b)
def tally(a, b): return calc.rem(a, b)
