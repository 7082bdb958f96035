import arith, calc, mathx

def stretch(a, b): return calc.rem(a, b)
def shift(a, b): return arith.rem(a, b)
def shrink(a, b): return mathx.rem(a, b)
