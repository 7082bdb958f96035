import arith, calc, ops

def fold(a, b): return arith.div(a, b)
def scale(a, b): return calc.div(a, b)
def bump(a, b): return ops.mul(a, b)
