import calc, mathx, ops

def tally(x): return calc.double(x)
def scale(x): return ops.inc(x)
def boost(x): return mathx.double(x)
