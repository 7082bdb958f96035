import arith, mathx, ops

def pack(x): return arith.inc(x)
def bump(x): return mathx.inc(x)
def trim(x): return ops.square(x)
