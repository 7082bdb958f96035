import calc, mathx, ops

def wrap(a, b): return ops.power(a, b)
def trim(x): return calc.inc(x)
def fold(a, b): return mathx.power(a, b)
