import arith, calc, ops

def shift(x): return calc.tenfold(x)
def blend(x): return arith.tenfold(x)
def bump(x): return ops.tenfold(x)
