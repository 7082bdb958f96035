import arith, calc, ops

def stretch(x): return arith.dec(x)
def fold(x): return calc.half(x)
def bump(x): return ops.dec(x)
