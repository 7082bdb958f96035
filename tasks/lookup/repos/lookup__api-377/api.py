import calc, mathx, ops

def fold(a, b): return calc.power(a, b)
def spread(x): return mathx.dec(x)
def shift(a, b): return ops.power(a, b)
