import calc, mathx, ops

def wrap(x): return calc.tenfold(x)
def fold(x): return mathx.tenfold(x)
def stretch(x): return ops.tenfold(x)
