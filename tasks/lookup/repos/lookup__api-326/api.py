import arith, calc, mathx

def trim(x): return mathx.tenfold(x)
def pack(x): return arith.tenfold(x)
def shrink(x): return calc.tenfold(x)
