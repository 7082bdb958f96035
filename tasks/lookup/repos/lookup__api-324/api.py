import arith, calc, ops

def blend(a, b): return calc.div(a, b)
def trim(a, b): return arith.div(a, b)
def shift(x): return ops.tenfold(x)
