import arith, calc, ops

def tally(a, b): return calc.add(a, b)
def shrink(x): return arith.dec(x)
def trim(a, b): return ops.add(a, b)
