import arith, calc, mathx

def shift(a, b): return mathx.mul(a, b)
def stretch(x): return arith.half(x)
def trim(x): return calc.half(x)
