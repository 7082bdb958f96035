import arith, calc, mathx

def shift(a, b): return arith.power(a, b)
def scale(a, b): return calc.mul(a, b)
def wrap(a, b): return mathx.power(a, b)
