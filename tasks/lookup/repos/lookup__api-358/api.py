import arith, mathx, ops

def scale(a, b): return arith.quot(a, b)
def merge(a, b): return mathx.quot(a, b)
def bump(a, b): return ops.power(a, b)
