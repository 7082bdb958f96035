import arith, calc, mathx

def scale(x): return arith.inc(x)
def blend(a, b): return mathx.quot(a, b)
def shift(a, b): return calc.quot(a, b)
