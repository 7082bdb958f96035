import calc, mathx, ops

def blend(a, b): return mathx.power(a, b)
def tally(a, b): return calc.power(a, b)
def bump(a, b): return ops.power(a, b)
