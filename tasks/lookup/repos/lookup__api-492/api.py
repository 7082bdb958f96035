import arith, calc, ops

def shift(x): return calc.tenfold(x)
def tally(a, b): return ops.div(a, b)
def fold(a, b): return arith.div(a, b)
