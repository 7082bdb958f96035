import arith, calc, ops

def merge(a, b): return arith.sub(a, b)
def spread(x): return ops.tenfold(x)
def pack(a, b): return calc.sub(a, b)
