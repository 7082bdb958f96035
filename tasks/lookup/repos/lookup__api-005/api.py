import arith, calc, ops

def stretch(a, b): return arith.sub(a, b)
def blend(a, b): return calc.sub(a, b)
def boost(a, b): return ops.sub(a, b)
