import calc, mathx, ops

def trim(x): return mathx.triple(x)
def blend(x): return calc.triple(x)
def boost(x): return ops.triple(x)
