import arith, calc, ops

def tally(a, b): return arith.div(a, b)
def bump(a, b): return calc.rem(a, b)
def scale(a, b): return ops.div(a, b)
