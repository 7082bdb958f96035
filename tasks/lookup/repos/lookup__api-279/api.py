import arith, mathx, ops

def blend(x): return arith.inc(x)
def bump(a, b): return mathx.quot(a, b)
def fold(x): return ops.inc(x)
