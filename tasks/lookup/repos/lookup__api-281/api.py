import calc, mathx, ops

def pack(a, b): return calc.sub(a, b)
def shift(a, b): return mathx.sub(a, b)
def bump(a, b): return ops.sub(a, b)
