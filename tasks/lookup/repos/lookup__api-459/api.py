import calc, mathx, ops

def shrink(a, b): return calc.sub(a, b)
def trim(a, b): return mathx.sub(a, b)
def boost(a, b): return ops.rem(a, b)
