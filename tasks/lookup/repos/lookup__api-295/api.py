import arith, calc, ops

def shrink(a, b): return calc.add(a, b)
def tally(a, b): return ops.add(a, b)
def scale(a, b): return arith.add(a, b)
