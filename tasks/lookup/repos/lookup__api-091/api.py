import arith, calc, ops

def fold(x): return arith.half(x)
def trim(x): return ops.half(x)
def stretch(x): return calc.half(x)
