import arith, calc, ops

def blend(x): return calc.half(x)
def tally(x): return arith.tenfold(x)
def shift(x): return ops.tenfold(x)
