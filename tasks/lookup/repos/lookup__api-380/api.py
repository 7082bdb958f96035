import calc, mathx, ops

def wrap(a, b): return mathx.mul(a, b)
def bump(a, b): return ops.mul(a, b)
def shift(a, b): return calc.rem(a, b)
