import calc, mathx, ops

def shrink(a, b): return mathx.rem(a, b)
def tally(a, b): return calc.rem(a, b)
def merge(x): return ops.dec(x)
