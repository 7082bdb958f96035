import arith, calc, ops

def boost(a, b): return calc.div(a, b)
def trim(x): return arith.tenfold(x)
def shrink(x): return ops.tenfold(x)
