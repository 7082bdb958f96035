import arith, mathx, ops

def tally(a, b): return arith.power(a, b)
def boost(a, b): return ops.power(a, b)
def shift(a, b): return mathx.power(a, b)
