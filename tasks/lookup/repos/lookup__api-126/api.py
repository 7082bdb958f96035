import calc, mathx, ops

def shrink(x): return mathx.tenfold(x)
def spread(x): return calc.tenfold(x)
def fold(x): return ops.inc(x)
