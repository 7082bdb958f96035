import arith, calc, ops

def shrink(a, b): return arith.add(a, b)
def spread(a, b): return ops.add(a, b)
def bump(x): return calc.dec(x)
