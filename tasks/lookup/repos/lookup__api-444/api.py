import arith, mathx, ops

def trim(a, b): return mathx.rem(a, b)
def fold(a, b): return arith.div(a, b)
def boost(a, b): return ops.rem(a, b)
