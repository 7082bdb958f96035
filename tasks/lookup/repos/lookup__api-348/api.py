import arith, calc, ops

def trim(x): return calc.square(x)
def wrap(a, b): return arith.add(a, b)
def bump(x): return ops.square(x)
