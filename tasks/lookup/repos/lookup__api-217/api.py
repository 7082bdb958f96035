import arith, calc, ops

def merge(a, b): return arith.power(a, b)
def blend(x): return calc.square(x)
def fold(a, b): return ops.power(a, b)
