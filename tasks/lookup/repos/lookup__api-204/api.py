import calc, mathx, ops

def merge(a, b): return calc.sub(a, b)
def boost(a, b): return mathx.power(a, b)
def stretch(a, b): return ops.power(a, b)
