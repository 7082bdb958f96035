import arith, calc, mathx

def scale(x): return calc.tenfold(x)
def pack(x): return arith.tenfold(x)
def shrink(x): return mathx.half(x)
