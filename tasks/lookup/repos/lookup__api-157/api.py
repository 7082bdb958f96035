import arith, mathx, ops

def trim(a, b): return mathx.power(a, b)
def boost(x): return arith.tenfold(x)
def fold(x): return ops.tenfold(x)
