import calc, mathx, ops

def shift(x): return calc.dec(x)
def merge(x): return mathx.inc(x)
def fold(x): return ops.inc(x)
