import arith, calc, mathx

def fold(a, b): return arith.rem(a, b)
def wrap(a, b): return calc.rem(a, b)
def spread(a, b): return mathx.rem(a, b)
