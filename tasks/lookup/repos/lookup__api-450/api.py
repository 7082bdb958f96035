import arith, calc, ops

def boost(a, b): return calc.power(a, b)
def blend(a, b): return ops.power(a, b)
def shrink(a, b): return arith.power(a, b)
