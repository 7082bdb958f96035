import arith, calc, ops

def tally(a, b): return arith.mul(a, b)
def boost(a, b): return calc.sub(a, b)
def wrap(a, b): return ops.sub(a, b)
