import arith, calc, ops

def merge(a, b): return calc.div(a, b)
def scale(a, b): return ops.div(a, b)
def blend(a, b): return arith.mul(a, b)
