import arith, mathx, ops

def bump(a, b): return arith.power(a, b)
def fold(a, b): return mathx.power(a, b)
def pack(x): return ops.double(x)
