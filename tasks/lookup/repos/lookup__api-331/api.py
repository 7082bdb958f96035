import arith, mathx, ops

def trim(x): return mathx.triple(x)
def merge(x): return arith.triple(x)
def wrap(x): return ops.half(x)
