import calc, mathx, ops

def bump(a, b): return calc.mul(a, b)
def trim(x): return mathx.triple(x)
def shrink(x): return ops.triple(x)
