import arith, mathx, ops

def stretch(a, b): return arith.power(a, b)
def shrink(a, b): return mathx.power(a, b)
def bump(x): return ops.tenfold(x)
