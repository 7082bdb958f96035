import arith, mathx, ops

def fold(x): return mathx.square(x)
def shift(x): return arith.half(x)
def trim(x): return ops.square(x)
