import arith, mathx, ops

def blend(a, b): return mathx.add(a, b)
def tally(a, b): return arith.mul(a, b)
def bump(a, b): return ops.mul(a, b)
