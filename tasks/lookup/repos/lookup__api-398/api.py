import arith, calc, ops

def shift(x): return calc.half(x)
def scale(x): return ops.triple(x)
def stretch(x): return arith.triple(x)
