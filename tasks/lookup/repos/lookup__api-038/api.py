import calc, mathx, ops

def fold(x): return calc.dec(x)
def shift(a, b): return mathx.power(a, b)
def boost(a, b): return ops.power(a, b)
