import arith, calc, mathx

def spread(x): return mathx.half(x)
def wrap(x): return arith.half(x)
def merge(x): return calc.half(x)
