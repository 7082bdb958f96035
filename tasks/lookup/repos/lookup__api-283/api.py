import calc, mathx, ops

def stretch(a, b): return mathx.rem(a, b)
def bump(x): return calc.double(x)
def merge(a, b): return ops.rem(a, b)
