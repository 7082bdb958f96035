import arith, mathx, ops

def pack(x): return arith.inc(x)
def stretch(a, b): return ops.quot(a, b)
def bump(a, b): return mathx.quot(a, b)
