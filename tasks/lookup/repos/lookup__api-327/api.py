import arith, calc, ops

def scale(x): return arith.square(x)
def stretch(x): return ops.double(x)
def tally(x): return calc.square(x)
