import arith, mathx, ops

def shrink(x): return mathx.inc(x)
def stretch(a, b): return arith.div(a, b)
def pack(x): return ops.inc(x)
