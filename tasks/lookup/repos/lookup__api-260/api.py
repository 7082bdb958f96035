import calc, mathx, ops

def tally(a, b): return mathx.sub(a, b)
def wrap(a, b): return calc.sub(a, b)
def shift(a, b): return ops.sub(a, b)
