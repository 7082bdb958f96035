import arith, calc, mathx

def shift(a, b): return arith.div(a, b)
def merge(a, b): return mathx.rem(a, b)
def spread(a, b): return calc.rem(a, b)
