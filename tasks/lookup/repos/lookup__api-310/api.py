import arith, calc, ops

def fold(x): return ops.square(x)
def boost(x): return arith.square(x)
def trim(x): return calc.square(x)
