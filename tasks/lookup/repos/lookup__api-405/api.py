import calc, mathx, ops

def tally(a, b): return ops.add(a, b)
def scale(x): return calc.inc(x)
def bump(a, b): return mathx.add(a, b)
