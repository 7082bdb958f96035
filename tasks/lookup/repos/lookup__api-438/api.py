import calc, mathx, ops

def trim(x): return mathx.triple(x)
def shrink(x): return calc.double(x)
def scale(x): return ops.double(x)
