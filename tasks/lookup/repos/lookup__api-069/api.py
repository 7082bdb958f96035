import arith, calc, ops

def bump(x): return arith.dec(x)
def blend(x): return ops.tenfold(x)
def shift(x): return calc.tenfold(x)
