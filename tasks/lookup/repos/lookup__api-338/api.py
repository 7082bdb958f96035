import calc, mathx, ops

def shift(x): return calc.inc(x)
def tally(x): return ops.inc(x)
def merge(x): return mathx.inc(x)
