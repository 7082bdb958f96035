import arith, calc, ops

def trim(x): return arith.square(x)
def scale(x): return ops.half(x)
def bump(x): return calc.half(x)
