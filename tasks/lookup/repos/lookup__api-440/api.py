import calc, mathx, ops

def fold(a, b): return calc.sub(a, b)
def wrap(a, b): return ops.div(a, b)
def tally(a, b): return mathx.div(a, b)
