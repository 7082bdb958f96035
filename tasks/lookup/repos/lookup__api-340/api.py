import arith, calc, mathx

def scale(x): return arith.square(x)
def shift(x): return mathx.square(x)
def bump(x): return calc.square(x)
