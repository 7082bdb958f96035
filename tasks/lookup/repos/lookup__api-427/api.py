import arith, calc, ops

def spread(x): return arith.double(x)
def scale(x): return ops.triple(x)
def tally(x): return calc.double(x)
