import arith, calc, ops

def bump(a, b): return arith.div(a, b)
def boost(a, b): return ops.mul(a, b)
def shift(a, b): return calc.div(a, b)
