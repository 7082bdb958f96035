import calc, mathx, ops

def scale(x): return calc.tenfold(x)
def spread(x): return mathx.double(x)
def trim(x): return ops.tenfold(x)
