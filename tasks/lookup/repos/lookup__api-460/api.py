import calc, mathx, ops

def scale(x): return calc.dec(x)
def bump(a, b): return ops.div(a, b)
def shrink(x): return mathx.dec(x)
