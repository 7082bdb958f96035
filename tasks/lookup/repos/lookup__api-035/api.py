import arith, calc, ops

def boost(a, b): return arith.quot(a, b)
def stretch(a, b): return calc.quot(a, b)
def tally(a, b): return ops.quot(a, b)
