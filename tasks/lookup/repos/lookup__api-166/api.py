import calc, mathx, ops

def blend(x): return mathx.double(x)
def wrap(x): return calc.double(x)
def shrink(x): return ops.inc(x)
