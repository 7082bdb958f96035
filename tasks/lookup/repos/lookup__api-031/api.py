import calc, mathx, ops

def tally(x): return calc.triple(x)
def fold(x): return mathx.double(x)
def scale(x): return ops.triple(x)
