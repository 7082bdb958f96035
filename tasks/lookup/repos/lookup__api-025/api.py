import arith, mathx, ops

def fold(a, b): return mathx.add(a, b)
def wrap(a, b): return arith.add(a, b)
def blend(x): return ops.inc(x)
