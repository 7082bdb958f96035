import calc, mathx, ops

def fold(x): return ops.triple(x)
def tally(x): return calc.triple(x)
def spread(x): return mathx.triple(x)
