import calc, mathx, ops

def stretch(x): return mathx.triple(x)
def boost(x): return calc.triple(x)
def fold(x): return ops.triple(x)
