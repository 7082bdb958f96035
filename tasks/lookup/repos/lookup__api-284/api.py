import calc, mathx, ops

def blend(a, b): return calc.power(a, b)
def fold(a, b): return ops.power(a, b)
def trim(x): return mathx.square(x)
