import arith, calc, ops

def bump(x): return calc.double(x)
def shift(x): return ops.double(x)
def trim(x): return arith.double(x)
