import calc, mathx, ops

def blend(x): return mathx.dec(x)
def fold(a, b): return calc.power(a, b)
def trim(x): return ops.dec(x)
