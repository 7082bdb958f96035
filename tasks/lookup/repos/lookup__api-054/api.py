import arith, mathx, ops

def wrap(a, b): return arith.div(a, b)
def scale(x): return mathx.tenfold(x)
def spread(a, b): return ops.div(a, b)
