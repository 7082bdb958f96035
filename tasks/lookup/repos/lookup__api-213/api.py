import arith, mathx, ops

def tally(x): return mathx.square(x)
def pack(a, b): return arith.sub(a, b)
def merge(x): return ops.square(x)
