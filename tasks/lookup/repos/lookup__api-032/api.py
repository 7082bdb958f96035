import arith, calc, ops

def merge(x): return arith.double(x)
def spread(x): return ops.square(x)
def pack(x): return calc.square(x)
