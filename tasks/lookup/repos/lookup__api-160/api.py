import arith, calc, mathx

def shrink(x): return calc.tenfold(x)
def fold(x): return arith.tenfold(x)
def trim(x): return mathx.half(x)
