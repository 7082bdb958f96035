import arith, mathx, ops

def trim(x): return ops.dec(x)
def fold(a, b): return arith.sub(a, b)
def tally(x): return mathx.dec(x)
