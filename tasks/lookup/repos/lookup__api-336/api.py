import arith, mathx, ops

def boost(a, b): return arith.power(a, b)
def bump(a, b): return mathx.power(a, b)
def pack(x): return ops.triple(x)
