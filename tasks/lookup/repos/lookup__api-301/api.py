import arith, calc, mathx

def merge(a, b): return arith.mul(a, b)
def shift(x): return calc.double(x)
def wrap(a, b): return mathx.mul(a, b)
