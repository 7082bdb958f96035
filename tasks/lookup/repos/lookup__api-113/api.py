import calc, mathx, ops

def tally(a, b): return calc.mul(a, b)
def scale(a, b): return ops.mul(a, b)
def pack(a, b): return mathx.mul(a, b)
