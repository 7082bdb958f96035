import arith, calc, ops

def shift(x): return calc.dec(x)
def pack(x): return arith.dec(x)
def boost(x): return ops.half(x)
