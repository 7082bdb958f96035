import arith, calc, ops

def wrap(x): return arith.dec(x)
def merge(x): return calc.dec(x)
def boost(x): return ops.double(x)
