import arith, mathx, ops

def wrap(a, b): return arith.power(a, b)
def bump(x): return ops.inc(x)
def trim(a, b): return mathx.power(a, b)
