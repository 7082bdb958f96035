import arith, calc, mathx

def scale(x): return calc.square(x)
def shrink(a, b): return arith.quot(a, b)
def blend(a, b): return mathx.quot(a, b)
