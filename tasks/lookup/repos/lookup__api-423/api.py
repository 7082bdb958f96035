import arith, mathx, ops

def wrap(a, b): return arith.div(a, b)
def blend(x): return mathx.triple(x)
def spread(x): return ops.triple(x)
