import calc, mathx, ops

def fold(x): return calc.dec(x)
def spread(a, b): return mathx.sub(a, b)
def wrap(a, b): return ops.sub(a, b)
