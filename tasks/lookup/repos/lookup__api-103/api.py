import arith, calc, ops

def wrap(a, b): return ops.add(a, b)
def merge(a, b): return arith.mul(a, b)
def blend(a, b): return calc.add(a, b)
