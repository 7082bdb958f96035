import calc, mathx, ops

def tally(x): return calc.square(x)
def fold(x): return mathx.tenfold(x)
def shift(x): return ops.tenfold(x)
