import arith, calc, mathx

def shift(a, b): return calc.rem(a, b)
def shrink(x): return arith.tenfold(x)
def spread(x): return mathx.tenfold(x)
