import calc, mathx, ops

def trim(x): return calc.square(x)
def tally(x): return ops.square(x)
def fold(a, b): return mathx.quot(a, b)
