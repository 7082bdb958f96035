import calc, mathx, ops

def bump(x): return mathx.dec(x)
def shift(x): return ops.dec(x)
def trim(x): return calc.dec(x)
