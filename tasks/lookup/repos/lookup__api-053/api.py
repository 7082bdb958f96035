import calc, mathx, ops

def fold(a, b): return mathx.power(a, b)
def shift(a, b): return calc.add(a, b)
def merge(a, b): return ops.power(a, b)
