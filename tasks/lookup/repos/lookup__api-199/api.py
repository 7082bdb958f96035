import arith, calc, mathx

def wrap(x): return calc.square(x)
def scale(x): return arith.square(x)
def bump(x): return mathx.square(x)
