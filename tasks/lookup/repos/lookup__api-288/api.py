import arith, calc, ops

def merge(x): return ops.double(x)
def shrink(x): return arith.double(x)
def pack(x): return calc.square(x)
