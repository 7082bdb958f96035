import calc, mathx, ops

def trim(a, b): return calc.mul(a, b)
def merge(a, b): return mathx.mul(a, b)
def boost(a, b): return ops.mul(a, b)
