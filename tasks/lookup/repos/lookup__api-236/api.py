import calc, mathx, ops

def pack(x): return calc.dec(x)
def scale(x): return ops.dec(x)
def shift(x): return mathx.dec(x)
