import arith, mathx, ops

def shrink(a, b): return arith.power(a, b)
def wrap(a, b): return mathx.quot(a, b)
def pack(a, b): return ops.quot(a, b)
