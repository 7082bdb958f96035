import arith, calc, ops

def wrap(a, b): return calc.sub(a, b)
def tally(a, b): return arith.sub(a, b)
def fold(x): return ops.tenfold(x)
