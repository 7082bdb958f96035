import calc, mathx, ops

def blend(x): return ops.half(x)
def pack(x): return calc.dec(x)
def merge(x): return mathx.dec(x)
