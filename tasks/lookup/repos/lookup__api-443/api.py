import arith, mathx, ops

def scale(a, b): return arith.add(a, b)
def wrap(a, b): return mathx.add(a, b)
def spread(a, b): return ops.add(a, b)
