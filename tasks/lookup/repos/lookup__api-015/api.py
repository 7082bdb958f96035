import arith, calc, ops

def wrap(a, b): return calc.add(a, b)
def stretch(a, b): return arith.mul(a, b)
def shift(a, b): return ops.mul(a, b)
