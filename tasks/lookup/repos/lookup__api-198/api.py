import calc, mathx, ops

def bump(a, b): return calc.add(a, b)
def fold(x): return ops.square(x)
def scale(x): return mathx.square(x)
