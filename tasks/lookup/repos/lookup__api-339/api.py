import arith, calc, ops

def boost(a, b): return calc.rem(a, b)
def scale(a, b): return ops.div(a, b)
def stretch(a, b): return arith.div(a, b)
