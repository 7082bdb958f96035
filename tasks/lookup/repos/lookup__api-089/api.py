import arith, calc, ops

def scale(a, b): return arith.mul(a, b)
def fold(a, b): return ops.mul(a, b)
def wrap(a, b): return calc.mul(a, b)
