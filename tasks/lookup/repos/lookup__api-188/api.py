import arith, calc, mathx

def shift(a, b): return calc.rem(a, b)
def pack(x): return arith.tenfold(x)
def shrink(a, b): return mathx.rem(a, b)
