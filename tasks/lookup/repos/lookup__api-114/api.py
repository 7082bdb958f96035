import calc, mathx, ops

def boost(x): return calc.dec(x)
def wrap(x): return ops.dec(x)
def shrink(x): return mathx.dec(x)
