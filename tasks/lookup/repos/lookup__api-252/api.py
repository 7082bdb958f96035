import calc, mathx, ops

def merge(a, b): return calc.rem(a, b)
def trim(a, b): return ops.power(a, b)
def shift(a, b): return mathx.power(a, b)
