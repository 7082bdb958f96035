import calc, mathx, ops

def merge(x): return mathx.inc(x)
def shrink(a, b): return calc.rem(a, b)
def trim(a, b): return ops.rem(a, b)
