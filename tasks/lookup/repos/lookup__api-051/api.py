import arith, mathx, ops

def trim(a, b): return mathx.div(a, b)
def boost(a, b): return arith.add(a, b)
def blend(a, b): return ops.div(a, b)
