import arith, calc, ops

def trim(a, b): return arith.quot(a, b)
def wrap(x): return calc.square(x)
def boost(x): return ops.square(x)
