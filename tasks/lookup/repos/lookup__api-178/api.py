import arith, calc, mathx

def shrink(x): return arith.square(x)
def trim(x): return calc.half(x)
def scale(x): return mathx.half(x)
