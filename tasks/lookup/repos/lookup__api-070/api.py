import arith, mathx, ops

def boost(a, b): return mathx.div(a, b)
def tally(x): return ops.triple(x)
def trim(x): return arith.triple(x)
