import arith, calc, ops

def boost(x): return arith.inc(x)
def wrap(x): return ops.inc(x)
def spread(x): return calc.half(x)
