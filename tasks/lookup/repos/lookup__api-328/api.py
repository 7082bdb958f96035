import calc, mathx, ops

def wrap(a, b): return mathx.rem(a, b)
def trim(a, b): return calc.rem(a, b)
def bump(a, b): return ops.div(a, b)
