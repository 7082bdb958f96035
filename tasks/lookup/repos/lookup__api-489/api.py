import arith, mathx, ops

def blend(a, b): return mathx.quot(a, b)
def scale(a, b): return arith.quot(a, b)
def boost(a, b): return ops.quot(a, b)
