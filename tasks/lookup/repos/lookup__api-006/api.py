import calc, mathx, ops

def wrap(x): return calc.dec(x)
def shift(a, b): return mathx.mul(a, b)
def boost(x): return ops.dec(x)
