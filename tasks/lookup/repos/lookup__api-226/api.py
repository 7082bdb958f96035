import arith, mathx, ops

def scale(a, b): return mathx.div(a, b)
def boost(a, b): return arith.div(a, b)
def tally(a, b): return ops.div(a, b)
