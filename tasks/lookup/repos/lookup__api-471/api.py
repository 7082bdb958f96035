import arith, calc, ops

def scale(a, b): return calc.power(a, b)
def fold(a, b): return arith.power(a, b)
def wrap(a, b): return ops.power(a, b)
