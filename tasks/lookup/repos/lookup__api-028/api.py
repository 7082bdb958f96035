import arith, calc, mathx

def wrap(x): return arith.half(x)
def bump(a, b): return calc.quot(a, b)
def scale(x): return mathx.half(x)
