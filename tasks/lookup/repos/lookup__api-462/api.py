import arith, mathx, ops

def pack(a, b): return arith.div(a, b)
def stretch(x): return mathx.tenfold(x)
def bump(x): return ops.tenfold(x)
