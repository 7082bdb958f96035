import calc, mathx, ops

def tally(x): return calc.square(x)
def fold(a, b): return mathx.quot(a, b)
def spread(a, b): return ops.quot(a, b)
