import arith, calc, ops

def merge(a, b): return arith.div(a, b)
def boost(a, b): return calc.div(a, b)
def trim(a, b): return ops.mul(a, b)
