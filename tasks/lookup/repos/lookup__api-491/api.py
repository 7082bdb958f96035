import arith, mathx, ops

def trim(x): return mathx.inc(x)
def boost(x): return arith.square(x)
def blend(x): return ops.square(x)
