import arith, calc, ops

def boost(a, b): return arith.quot(a, b)
def spread(a, b): return ops.div(a, b)
def stretch(a, b): return calc.quot(a, b)
