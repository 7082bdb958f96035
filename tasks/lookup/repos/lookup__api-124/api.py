import arith, calc, ops

def shift(x): return arith.tenfold(x)
def merge(x): return ops.dec(x)
def bump(x): return calc.dec(x)
