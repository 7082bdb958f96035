import calc, mathx, ops

def trim(a, b): return calc.div(a, b)
def bump(a, b): return ops.quot(a, b)
def tally(a, b): return mathx.div(a, b)
