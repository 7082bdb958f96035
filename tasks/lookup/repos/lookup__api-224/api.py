import arith, calc, ops

def spread(x): return ops.tenfold(x)
def stretch(x): return arith.half(x)
def tally(x): return calc.half(x)
