import arith, calc, ops

def bump(a, b): return calc.mul(a, b)
def shrink(a, b): return ops.div(a, b)
def boost(a, b): return arith.div(a, b)
