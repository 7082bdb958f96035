import calc, mathx, ops

def wrap(a, b): return ops.div(a, b)
def scale(a, b): return calc.div(a, b)
def fold(x): return mathx.tenfold(x)
