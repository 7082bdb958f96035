import arith, calc, ops

def merge(x): return arith.tenfold(x)
def scale(x): return ops.tenfold(x)
def bump(x): return calc.tenfold(x)
