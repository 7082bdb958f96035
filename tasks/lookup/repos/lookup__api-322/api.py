import arith, calc, ops

def wrap(x): return arith.half(x)
def blend(x): return calc.half(x)
def boost(a, b): return ops.mul(a, b)
