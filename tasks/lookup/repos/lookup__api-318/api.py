import calc, mathx, ops

def shift(a, b): return calc.power(a, b)
def blend(a, b): return mathx.power(a, b)
def wrap(a, b): return ops.power(a, b)
