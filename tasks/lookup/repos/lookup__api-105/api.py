import calc, mathx, ops

def spread(x): return ops.dec(x)
def merge(x): return calc.dec(x)
def boost(x): return mathx.triple(x)
