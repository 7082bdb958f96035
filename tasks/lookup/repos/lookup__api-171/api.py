import calc, mathx, ops

def boost(a, b): return calc.rem(a, b)
def stretch(a, b): return mathx.rem(a, b)
def shift(x): return ops.triple(x)
