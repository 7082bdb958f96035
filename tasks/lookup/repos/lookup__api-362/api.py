import arith, calc, ops

def tally(x): return arith.dec(x)
def shrink(a, b): return calc.div(a, b)
def merge(a, b): return ops.div(a, b)
