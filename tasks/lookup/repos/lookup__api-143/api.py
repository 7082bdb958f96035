import calc, mathx, ops

def tally(x): return calc.half(x)
def shrink(x): return mathx.half(x)
def merge(a, b): return ops.sub(a, b)
