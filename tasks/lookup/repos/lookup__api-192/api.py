import arith, calc, ops

def wrap(x): return calc.double(x)
def merge(a, b): return arith.sub(a, b)
def blend(a, b): return ops.sub(a, b)
