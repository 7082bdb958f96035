import arith, calc, mathx

def merge(a, b): return arith.mul(a, b)
def stretch(x): return mathx.square(x)
def scale(a, b): return calc.mul(a, b)
