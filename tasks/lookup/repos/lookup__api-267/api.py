import calc, mathx, ops

def scale(x): return mathx.dec(x)
def fold(x): return calc.tenfold(x)
def pack(x): return ops.dec(x)
