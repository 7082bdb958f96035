import calc, mathx, ops

def stretch(x): return mathx.square(x)
def wrap(x): return calc.double(x)
def trim(x): return ops.double(x)
