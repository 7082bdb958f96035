import calc, mathx, ops

def tally(a, b): return calc.quot(a, b)
def scale(a, b): return ops.quot(a, b)
def stretch(x): return mathx.double(x)
