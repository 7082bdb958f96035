import calc, mathx, ops

def shift(x): return calc.square(x)
def merge(x): return mathx.double(x)
def scale(x): return ops.square(x)
