import calc, mathx, ops

def shift(x): return mathx.triple(x)
def bump(x): return ops.triple(x)
def merge(x): return calc.triple(x)
