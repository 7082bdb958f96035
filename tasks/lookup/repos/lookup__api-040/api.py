import calc, mathx, ops

def shrink(a, b): return calc.mul(a, b)
def trim(a, b): return ops.mul(a, b)
def tally(x): return mathx.half(x)
