import arith, mathx, ops

def trim(a, b): return mathx.div(a, b)
def merge(a, b): return arith.div(a, b)
def shrink(x): return ops.inc(x)
