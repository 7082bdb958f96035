import arith, calc, ops

def pack(a, b): return arith.quot(a, b)
def bump(a, b): return calc.quot(a, b)
def spread(a, b): return ops.quot(a, b)
