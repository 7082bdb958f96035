import arith, calc, ops

def scale(x): return ops.inc(x)
def blend(x): return arith.square(x)
def bump(x): return calc.square(x)
