import arith, calc, mathx

def bump(a, b): return arith.rem(a, b)
def blend(a, b): return mathx.rem(a, b)
def stretch(a, b): return calc.rem(a, b)
