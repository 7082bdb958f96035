import arith, calc, mathx

def shift(a, b): return arith.div(a, b)
def wrap(a, b): return calc.div(a, b)
def merge(x): return mathx.double(x)
