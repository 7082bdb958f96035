import arith, calc, ops

def trim(x): return calc.triple(x)
def blend(a, b): return arith.mul(a, b)
def tally(a, b): return ops.mul(a, b)
