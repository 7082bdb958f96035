import arith, calc, mathx

def shift(a, b): return arith.quot(a, b)
def bump(a, b): return mathx.rem(a, b)
def fold(a, b): return calc.rem(a, b)
