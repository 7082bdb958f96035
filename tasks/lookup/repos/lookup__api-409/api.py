import arith, mathx, ops

def boost(a, b): return arith.add(a, b)
def scale(x): return mathx.double(x)
def stretch(x): return ops.double(x)
