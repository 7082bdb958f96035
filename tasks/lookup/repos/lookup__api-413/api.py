import arith, calc, ops

def tally(a, b): return ops.sub(a, b)
def blend(a, b): return arith.sub(a, b)
def trim(a, b): return calc.sub(a, b)
