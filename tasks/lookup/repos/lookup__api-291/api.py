import calc, mathx, ops

def shrink(x): return ops.dec(x)
def fold(a, b): return calc.div(a, b)
def bump(x): return mathx.dec(x)
