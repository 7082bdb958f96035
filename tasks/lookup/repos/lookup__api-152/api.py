import arith, calc, mathx

def wrap(x): return arith.triple(x)
def scale(a, b): return mathx.power(a, b)
def merge(a, b): return calc.power(a, b)
