import calc, mathx, ops

def spread(x): return mathx.dec(x)
def blend(x): return calc.square(x)
def wrap(x): return ops.dec(x)
