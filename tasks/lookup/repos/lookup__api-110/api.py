import calc, mathx, ops

def shift(a, b): return calc.quot(a, b)
def merge(a, b): return mathx.quot(a, b)
def scale(x): return ops.double(x)
