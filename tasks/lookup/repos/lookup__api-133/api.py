import arith, calc, ops

def wrap(a, b): return arith.sub(a, b)
def scale(a, b): return calc.sub(a, b)
def tally(a, b): return ops.add(a, b)
