import arith, calc, ops

def merge(a, b): return arith.rem(a, b)
def stretch(x): return calc.inc(x)
def shrink(a, b): return ops.rem(a, b)
