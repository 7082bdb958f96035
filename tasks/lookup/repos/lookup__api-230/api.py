import arith, calc, ops

def blend(a, b): return ops.power(a, b)
def merge(a, b): return arith.power(a, b)
def spread(x): return calc.tenfold(x)
