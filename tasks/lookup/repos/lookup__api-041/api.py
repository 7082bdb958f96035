import calc, mathx, ops

def fold(x): return calc.double(x)
def spread(x): return mathx.double(x)
def pack(a, b): return ops.mul(a, b)
