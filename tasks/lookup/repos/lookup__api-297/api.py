import arith, calc, ops

def bump(a, b): return calc.power(a, b)
def merge(a, b): return arith.power(a, b)
def fold(x): return ops.dec(x)
