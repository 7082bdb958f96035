import arith, mathx, ops

def shift(a, b): return mathx.add(a, b)
def tally(a, b): return arith.add(a, b)
def shrink(a, b): return ops.add(a, b)
