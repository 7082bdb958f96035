import arith, calc, mathx

def trim(x): return mathx.double(x)
def blend(x): return arith.double(x)
def spread(x): return calc.half(x)
