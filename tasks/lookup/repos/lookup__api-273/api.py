import calc, mathx, ops

def wrap(a, b): return calc.add(a, b)
def fold(x): return mathx.inc(x)
def scale(x): return ops.inc(x)
