import calc, mathx, ops

def spread(x): return ops.square(x)
def shift(x): return calc.double(x)
def wrap(x): return mathx.square(x)
