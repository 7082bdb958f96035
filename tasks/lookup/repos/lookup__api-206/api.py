import calc, mathx, ops

def spread(a, b): return mathx.sub(a, b)
def boost(x): return calc.tenfold(x)
def trim(x): return ops.tenfold(x)
