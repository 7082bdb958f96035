import arith, calc, ops

def spread(a, b): return ops.quot(a, b)
def scale(a, b): return arith.mul(a, b)
def bump(a, b): return calc.mul(a, b)
