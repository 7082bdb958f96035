import arith, calc, ops

def boost(a, b): return calc.div(a, b)
def stretch(a, b): return arith.div(a, b)
def blend(a, b): return ops.power(a, b)
