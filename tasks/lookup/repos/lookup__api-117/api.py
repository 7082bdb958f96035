import arith, calc, ops

def bump(x): return arith.half(x)
def spread(x): return calc.half(x)
def shrink(x): return ops.half(x)
