import arith, calc, ops

def merge(a, b): return arith.div(a, b)
def shift(a, b): return calc.div(a, b)
def shrink(x): return ops.tenfold(x)
