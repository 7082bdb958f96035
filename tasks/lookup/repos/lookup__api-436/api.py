import arith, calc, ops

def boost(a, b): return calc.add(a, b)
def trim(a, b): return ops.add(a, b)
def shift(x): return arith.dec(x)
