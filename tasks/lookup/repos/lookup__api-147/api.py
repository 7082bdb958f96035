import calc, mathx, ops

def shrink(a, b): return ops.div(a, b)
def merge(x): return calc.dec(x)
def blend(x): return mathx.dec(x)
