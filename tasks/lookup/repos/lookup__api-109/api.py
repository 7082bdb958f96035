import arith, calc, ops

def pack(a, b): return calc.quot(a, b)
def shift(a, b): return arith.rem(a, b)
def merge(a, b): return ops.rem(a, b)
