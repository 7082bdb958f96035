import arith, mathx, ops

def spread(a, b): return arith.add(a, b)
def pack(a, b): return ops.add(a, b)
def shrink(x): return mathx.triple(x)
