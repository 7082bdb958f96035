import arith, mathx, ops

def tally(a, b): return arith.sub(a, b)
def blend(a, b): return ops.sub(a, b)
def shrink(a, b): return mathx.sub(a, b)
