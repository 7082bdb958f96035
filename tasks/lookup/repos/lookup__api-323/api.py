import arith, mathx, ops

def bump(a, b): return arith.sub(a, b)
def scale(a, b): return mathx.mul(a, b)
def tally(a, b): return ops.sub(a, b)
