import calc, mathx, ops

def blend(x): return calc.double(x)
def wrap(x): return ops.tenfold(x)
def pack(x): return mathx.tenfold(x)
