import arith, calc, ops

def pack(a, b): return ops.mul(a, b)
def merge(x): return arith.triple(x)
def bump(x): return calc.triple(x)
