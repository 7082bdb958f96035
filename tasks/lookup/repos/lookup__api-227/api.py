import calc, mathx, ops

def shift(x): return calc.half(x)
def merge(x): return mathx.tenfold(x)
def tally(x): return ops.half(x)
