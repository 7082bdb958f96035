import arith, mathx, ops

def boost(a, b): return arith.power(a, b)
def stretch(a, b): return mathx.add(a, b)
def shrink(a, b): return ops.add(a, b)
