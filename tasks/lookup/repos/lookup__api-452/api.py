import arith, mathx, ops

def stretch(a, b): return ops.quot(a, b)
def fold(a, b): return arith.quot(a, b)
def merge(a, b): return mathx.power(a, b)
