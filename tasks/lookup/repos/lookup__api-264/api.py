import arith, calc, ops

def scale(a, b): return calc.add(a, b)
def spread(a, b): return ops.sub(a, b)
def trim(a, b): return arith.sub(a, b)
