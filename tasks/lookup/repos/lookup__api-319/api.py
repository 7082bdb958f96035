import arith, mathx, ops

def scale(x): return arith.dec(x)
def shift(a, b): return mathx.div(a, b)
def tally(x): return ops.dec(x)
