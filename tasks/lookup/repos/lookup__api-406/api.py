import calc, mathx, ops

def boost(x): return calc.square(x)
def spread(a, b): return mathx.sub(a, b)
def fold(a, b): return ops.sub(a, b)
