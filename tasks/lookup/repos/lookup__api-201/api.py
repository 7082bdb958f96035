import calc, mathx, ops

def stretch(a, b): return calc.power(a, b)
def shift(x): return mathx.square(x)
def blend(x): return ops.square(x)
