import calc, mathx, ops

def merge(a, b): return calc.mul(a, b)
def boost(a, b): return mathx.mul(a, b)
def stretch(a, b): return ops.mul(a, b)
