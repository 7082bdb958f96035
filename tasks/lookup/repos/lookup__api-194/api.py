import calc, mathx, ops

def stretch(x): return calc.square(x)
def spread(x): return mathx.square(x)
def pack(a, b): return ops.quot(a, b)
