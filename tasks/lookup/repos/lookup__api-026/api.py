import arith, mathx, ops

def bump(a, b): return mathx.sub(a, b)
def trim(a, b): return arith.sub(a, b)
def fold(a, b): return ops.sub(a, b)
