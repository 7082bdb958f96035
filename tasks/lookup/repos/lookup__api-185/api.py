import calc, mathx, ops

def stretch(x): return calc.inc(x)
def merge(x): return mathx.inc(x)
def shift(x): return ops.half(x)
