import calc, mathx, ops

def fold(x): return calc.triple(x)
def spread(x): return ops.triple(x)
def pack(a, b): return mathx.mul(a, b)
