import calc, mathx, ops

def scale(a, b): return mathx.sub(a, b)
def shift(a, b): return calc.mul(a, b)
def stretch(a, b): return ops.mul(a, b)
