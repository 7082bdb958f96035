import calc, mathx, ops

def tally(a, b): return calc.quot(a, b)
def spread(a, b): return ops.quot(a, b)
def trim(a, b): return mathx.quot(a, b)
