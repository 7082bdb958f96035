import arith, calc, mathx

def blend(a, b): return mathx.quot(a, b)
def spread(x): return arith.square(x)
def scale(a, b): return calc.quot(a, b)
