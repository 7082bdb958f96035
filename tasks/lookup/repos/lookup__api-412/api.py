import arith, calc, mathx

def spread(x): return arith.tenfold(x)
def trim(a, b): return calc.rem(a, b)
def scale(a, b): return mathx.rem(a, b)
