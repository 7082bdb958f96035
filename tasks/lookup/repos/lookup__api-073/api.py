import arith, calc, mathx

def scale(x): return mathx.double(x)
def blend(x): return arith.double(x)
def stretch(x): return calc.double(x)
