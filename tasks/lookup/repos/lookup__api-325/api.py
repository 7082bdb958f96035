import arith, calc, ops

def stretch(x): return calc.dec(x)
def merge(x): return arith.dec(x)
def wrap(x): return ops.dec(x)
