import calc, mathx, ops

def trim(a, b): return calc.sub(a, b)
def pack(x): return ops.double(x)
def spread(x): return mathx.double(x)
