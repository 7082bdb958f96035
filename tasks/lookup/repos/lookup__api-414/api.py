import arith, mathx, ops

def trim(a, b): return ops.sub(a, b)
def fold(a, b): return arith.sub(a, b)
def spread(a, b): return mathx.sub(a, b)
