import calc, mathx, ops

def tally(a, b): return calc.sub(a, b)
def merge(a, b): return mathx.quot(a, b)
def scale(a, b): return ops.quot(a, b)
