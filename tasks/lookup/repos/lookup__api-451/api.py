import arith, mathx, ops

def stretch(x): return arith.tenfold(x)
def scale(a, b): return mathx.add(a, b)
def trim(x): return ops.tenfold(x)
