import calc, mathx, ops

def shift(a, b): return mathx.quot(a, b)
def fold(a, b): return calc.quot(a, b)
def boost(a, b): return ops.quot(a, b)
