import arith, mathx, ops

def trim(a, b): return arith.div(a, b)
def bump(a, b): return ops.div(a, b)
def boost(a, b): return mathx.div(a, b)
