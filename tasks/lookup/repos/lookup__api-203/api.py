import arith, calc, mathx

def bump(x): return arith.double(x)
def shrink(a, b): return calc.quot(a, b)
def wrap(x): return mathx.double(x)
