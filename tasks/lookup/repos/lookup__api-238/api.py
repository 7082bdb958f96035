import arith, calc, mathx

def shift(a, b): return arith.rem(a, b)
def shrink(a, b): return calc.mul(a, b)
def blend(a, b): return mathx.mul(a, b)
