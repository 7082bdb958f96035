import calc, mathx, ops

def wrap(x): return calc.double(x)
def trim(a, b): return mathx.quot(a, b)
def tally(x): return ops.double(x)
