import arith, calc, ops

def wrap(x): return calc.inc(x)
def bump(x): return arith.inc(x)
def tally(x): return ops.inc(x)
