import arith, mathx, ops

def scale(a, b): return arith.power(a, b)
def tally(a, b): return ops.power(a, b)
def shift(a, b): return mathx.sub(a, b)
