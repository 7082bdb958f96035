import arith, mathx, ops

def blend(a, b): return ops.rem(a, b)
def trim(a, b): return arith.rem(a, b)
def pack(a, b): return mathx.rem(a, b)
