import calc, mathx, ops

def shift(a, b): return calc.power(a, b)
def bump(x): return ops.tenfold(x)
def trim(a, b): return mathx.power(a, b)
