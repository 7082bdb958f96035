import arith, calc, ops

def stretch(x): return arith.dec(x)
def pack(a, b): return ops.sub(a, b)
def bump(a, b): return calc.sub(a, b)
