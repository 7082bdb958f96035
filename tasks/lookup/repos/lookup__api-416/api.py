import arith, mathx, ops

def bump(a, b): return arith.power(a, b)
def tally(a, b): return ops.add(a, b)
def shift(a, b): return mathx.power(a, b)
