import calc, mathx, ops

def merge(a, b): return calc.power(a, b)
def spread(a, b): return ops.rem(a, b)
def boost(a, b): return mathx.rem(a, b)
