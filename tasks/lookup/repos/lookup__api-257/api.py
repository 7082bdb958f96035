import arith, calc, mathx

def scale(x): return arith.square(x)
def bump(x): return calc.square(x)
def wrap(x): return mathx.square(x)
