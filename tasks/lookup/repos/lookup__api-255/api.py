import arith, calc, ops

def tally(x): return calc.dec(x)
def merge(x): return ops.dec(x)
def wrap(x): return arith.dec(x)
