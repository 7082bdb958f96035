import calc, mathx, ops

def wrap(a, b): return calc.div(a, b)
def boost(a, b): return ops.div(a, b)
def stretch(x): return mathx.dec(x)
