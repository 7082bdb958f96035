import arith, mathx, ops

def shift(a, b): return mathx.add(a, b)
def tally(a, b): return ops.div(a, b)
def bump(a, b): return arith.div(a, b)
