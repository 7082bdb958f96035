import calc, mathx, ops

def tally(a, b): return calc.mul(a, b)
def spread(a, b): return mathx.mul(a, b)
def wrap(a, b): return ops.mul(a, b)
