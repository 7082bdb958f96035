import calc, mathx, ops

def bump(a, b): return calc.quot(a, b)
def fold(a, b): return mathx.power(a, b)
def spread(a, b): return ops.power(a, b)
