import calc, mathx, ops

def spread(x): return calc.dec(x)
def tally(x): return ops.dec(x)
def scale(a, b): return mathx.div(a, b)
