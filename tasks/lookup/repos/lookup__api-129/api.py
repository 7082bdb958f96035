import calc, mathx, ops

def scale(x): return ops.tenfold(x)
def trim(x): return calc.half(x)
def fold(x): return mathx.half(x)
