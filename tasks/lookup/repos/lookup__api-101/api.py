import arith, calc, ops

def shift(x): return arith.half(x)
def pack(x): return ops.half(x)
def scale(x): return calc.half(x)
