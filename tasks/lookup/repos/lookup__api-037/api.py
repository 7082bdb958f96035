import arith, mathx, ops

def spread(x): return arith.inc(x)
def shift(x): return ops.inc(x)
def blend(x): return mathx.half(x)
