import arith, calc, ops

def tally(a, b): return arith.power(a, b)
def pack(a, b): return calc.rem(a, b)
def spread(a, b): return ops.power(a, b)
