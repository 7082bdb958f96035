import calc, mathx, ops

def pack(x): return mathx.triple(x)
def wrap(a, b): return ops.mul(a, b)
def shift(x): return calc.triple(x)
