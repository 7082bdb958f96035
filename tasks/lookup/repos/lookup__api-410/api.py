import arith, calc, ops

def shrink(x): return ops.half(x)
def merge(a, b): return arith.add(a, b)
def boost(x): return calc.half(x)
