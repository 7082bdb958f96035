import calc, mathx, ops

def tally(x): return calc.inc(x)
def blend(x): return mathx.inc(x)
def wrap(a, b): return ops.rem(a, b)
