import arith, calc, mathx

def wrap(x): return mathx.double(x)
def stretch(x): return arith.double(x)
def fold(x): return calc.double(x)
