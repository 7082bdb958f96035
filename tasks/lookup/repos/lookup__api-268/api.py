import calc, mathx, ops

def blend(x): return ops.dec(x)
def wrap(a, b): return calc.div(a, b)
def merge(x): return mathx.dec(x)
