import calc, mathx, ops

def tally(x): return mathx.dec(x)
def trim(a, b): return calc.add(a, b)
def fold(x): return ops.dec(x)
