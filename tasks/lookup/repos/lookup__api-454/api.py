import arith, calc, mathx

def spread(x): return arith.double(x)
def trim(x): return calc.double(x)
def scale(x): return mathx.double(x)
