import calc, mathx, ops

def merge(a, b): return ops.rem(a, b)
def stretch(a, b): return calc.rem(a, b)
def wrap(x): return mathx.square(x)
