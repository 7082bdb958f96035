import arith, calc, ops

def tally(a, b): return arith.add(a, b)
def blend(a, b): return ops.add(a, b)
def wrap(x): return calc.double(x)
