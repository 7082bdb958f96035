import calc, mathx, ops

def pack(x): return calc.tenfold(x)
def bump(x): return mathx.tenfold(x)
def tally(x): return ops.tenfold(x)
