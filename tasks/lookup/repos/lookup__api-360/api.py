import arith, mathx, ops

def shift(a, b): return arith.add(a, b)
def bump(x): return ops.double(x)
def tally(x): return mathx.double(x)
