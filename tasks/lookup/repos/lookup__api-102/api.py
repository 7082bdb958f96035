import arith, mathx, ops

def stretch(x): return arith.tenfold(x)
def pack(x): return mathx.tenfold(x)
def blend(x): return ops.tenfold(x)
