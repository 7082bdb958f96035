import calc, mathx, ops

def shift(x): return mathx.dec(x)
def spread(a, b): return ops.power(a, b)
def pack(a, b): return calc.power(a, b)
