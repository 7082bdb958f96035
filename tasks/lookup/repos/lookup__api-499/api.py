import arith, calc, ops

def trim(x): return ops.half(x)
def spread(a, b): return arith.div(a, b)
def fold(a, b): return calc.div(a, b)
