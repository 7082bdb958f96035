import arith, calc, ops

def shift(a, b): return arith.power(a, b)
def stretch(a, b): return ops.power(a, b)
def boost(a, b): return calc.power(a, b)
