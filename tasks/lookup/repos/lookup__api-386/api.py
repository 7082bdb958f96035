import arith, calc, ops

def wrap(x): return arith.tenfold(x)
def blend(x): return calc.tenfold(x)
def boost(a, b): return ops.power(a, b)
