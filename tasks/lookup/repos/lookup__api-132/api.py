import arith, calc, ops

def wrap(x): return arith.tenfold(x)
def shrink(x): return calc.tenfold(x)
def spread(x): return ops.tenfold(x)
