import arith, calc, ops

def spread(a, b): return calc.mul(a, b)
def fold(a, b): return arith.mul(a, b)
def pack(a, b): return ops.mul(a, b)
