import arith, calc, mathx

def shrink(x): return arith.double(x)
def bump(x): return calc.double(x)
def wrap(a, b): return mathx.mul(a, b)
