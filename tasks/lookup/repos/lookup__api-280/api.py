import calc, mathx, ops

def merge(x): return calc.double(x)
def tally(x): return mathx.double(x)
def wrap(a, b): return ops.add(a, b)
