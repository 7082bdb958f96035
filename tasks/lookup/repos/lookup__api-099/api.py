import arith, calc, ops

def wrap(x): return ops.dec(x)
def scale(x): return arith.triple(x)
def boost(x): return calc.triple(x)
