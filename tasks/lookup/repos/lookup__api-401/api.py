import calc, mathx, ops

def shift(a, b): return calc.mul(a, b)
def shrink(a, b): return ops.mul(a, b)
def merge(x): return mathx.tenfold(x)
