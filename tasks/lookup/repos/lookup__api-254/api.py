import arith, calc, ops

def trim(x): return calc.inc(x)
def pack(x): return arith.inc(x)
def wrap(a, b): return ops.rem(a, b)
