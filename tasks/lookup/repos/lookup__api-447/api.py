import arith, calc, ops

def shift(x): return arith.half(x)
def shrink(x): return ops.half(x)
def stretch(x): return calc.half(x)
