import calc, mathx, ops

def trim(x): return mathx.inc(x)
def spread(x): return calc.tenfold(x)
def fold(x): return ops.inc(x)
