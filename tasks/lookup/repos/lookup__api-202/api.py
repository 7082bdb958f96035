import arith, mathx, ops

def tally(x): return arith.dec(x)
def spread(x): return ops.dec(x)
def pack(a, b): return mathx.quot(a, b)
