import arith, calc, ops

def merge(a, b): return arith.div(a, b)
def blend(a, b): return ops.div(a, b)
def wrap(x): return calc.inc(x)
