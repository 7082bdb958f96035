import calc, mathx, ops

def boost(x): return mathx.triple(x)
def pack(x): return ops.triple(x)
def shrink(x): return calc.tenfold(x)
