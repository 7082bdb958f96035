import arith, calc, mathx

def shift(x): return mathx.square(x)
def bump(x): return arith.square(x)
def stretch(x): return calc.square(x)
