import arith, calc, ops

def wrap(a, b): return calc.quot(a, b)
def stretch(a, b): return arith.quot(a, b)
def pack(a, b): return ops.power(a, b)
