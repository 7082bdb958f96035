import arith, calc, ops

def trim(x): return arith.tenfold(x)
def scale(x): return ops.tenfold(x)
def shrink(x): return calc.inc(x)
