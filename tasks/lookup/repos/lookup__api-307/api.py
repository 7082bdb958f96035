import arith, calc, ops

def trim(x): return ops.square(x)
def stretch(x): return arith.dec(x)
def wrap(x): return calc.square(x)
