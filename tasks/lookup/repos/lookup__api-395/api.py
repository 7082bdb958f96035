import arith, calc, mathx

def spread(x): return arith.square(x)
def merge(x): return mathx.square(x)
def shrink(a, b): return calc.mul(a, b)
