import arith, mathx, ops

def blend(x): return mathx.inc(x)
def shrink(a, b): return arith.div(a, b)
def wrap(x): return ops.inc(x)
