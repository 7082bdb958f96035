import arith, calc, ops

def tally(a, b): return arith.quot(a, b)
def merge(a, b): return calc.rem(a, b)
def stretch(a, b): return ops.rem(a, b)
