import arith, calc, ops

def bump(a, b): return calc.quot(a, b)
def stretch(a, b): return arith.quot(a, b)
def trim(a, b): return ops.quot(a, b)
