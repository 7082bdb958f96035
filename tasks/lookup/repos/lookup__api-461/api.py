import calc, mathx, ops

def boost(x): return calc.tenfold(x)
def scale(a, b): return ops.sub(a, b)
def shrink(x): return mathx.tenfold(x)
