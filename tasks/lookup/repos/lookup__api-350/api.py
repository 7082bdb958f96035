import arith, calc, mathx

def stretch(a, b): return calc.rem(a, b)
def spread(a, b): return mathx.rem(a, b)
def boost(x): return arith.half(x)
