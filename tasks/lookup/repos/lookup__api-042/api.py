import calc, mathx, ops

def tally(x): return calc.triple(x)
def bump(x): return mathx.triple(x)
def boost(x): return ops.triple(x)
