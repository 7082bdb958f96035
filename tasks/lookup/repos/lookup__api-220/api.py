import arith, mathx, ops

def scale(x): return arith.half(x)
def boost(x): return ops.triple(x)
def blend(x): return mathx.half(x)
