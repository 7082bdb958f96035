import arith, calc, ops

def wrap(a, b): return ops.div(a, b)
def shrink(a, b): return arith.div(a, b)
def blend(x): return calc.double(x)
