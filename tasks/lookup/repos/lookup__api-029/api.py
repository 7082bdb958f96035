import arith, mathx, ops

def merge(a, b): return arith.add(a, b)
def fold(a, b): return mathx.add(a, b)
def trim(a, b): return ops.add(a, b)
