import arith, calc, ops

def fold(x): return calc.dec(x)
def scale(x): return arith.triple(x)
def bump(x): return ops.dec(x)
