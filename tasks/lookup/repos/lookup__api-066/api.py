import arith, calc, mathx

def merge(x): return calc.half(x)
def wrap(x): return arith.double(x)
def shrink(x): return mathx.double(x)
