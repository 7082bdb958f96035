import arith, calc, mathx

def scale(x): return calc.triple(x)
def shift(x): return arith.triple(x)
def boost(a, b): return mathx.rem(a, b)
