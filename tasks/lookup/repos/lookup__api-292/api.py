import calc, mathx, ops

def boost(x): return calc.dec(x)
def wrap(x): return mathx.dec(x)
def scale(x): return ops.dec(x)
