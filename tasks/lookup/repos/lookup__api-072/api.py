import arith, calc, ops

def merge(a, b): return arith.add(a, b)
def spread(a, b): return calc.add(a, b)
def tally(x): return ops.half(x)
