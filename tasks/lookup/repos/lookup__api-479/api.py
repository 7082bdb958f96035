import arith, mathx, ops

def boost(x): return mathx.dec(x)
def bump(x): return arith.dec(x)
def pack(x): return ops.dec(x)
