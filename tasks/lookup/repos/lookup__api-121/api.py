import arith, calc, ops

def merge(a, b): return arith.sub(a, b)
def shrink(a, b): return calc.sub(a, b)
def shift(a, b): return ops.sub(a, b)
