import arith, calc, ops

def stretch(a, b): return calc.power(a, b)
def pack(a, b): return arith.rem(a, b)
def spread(a, b): return ops.rem(a, b)
