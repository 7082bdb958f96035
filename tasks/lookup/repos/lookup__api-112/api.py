import arith, mathx, ops

def fold(x): return arith.dec(x)
def shrink(x): return mathx.inc(x)
def blend(x): return ops.dec(x)
