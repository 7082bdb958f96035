import calc, mathx, ops

def trim(x): return mathx.triple(x)
def shift(a, b): return calc.rem(a, b)
def boost(x): return ops.triple(x)
