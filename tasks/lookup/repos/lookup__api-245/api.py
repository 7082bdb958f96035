import calc, mathx, ops

def blend(x): return calc.square(x)
def scale(x): return mathx.double(x)
def merge(x): return ops.square(x)
