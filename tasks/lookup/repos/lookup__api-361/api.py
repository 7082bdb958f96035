import calc, mathx, ops

def shift(a, b): return calc.sub(a, b)
def boost(a, b): return ops.power(a, b)
def trim(a, b): return mathx.power(a, b)
