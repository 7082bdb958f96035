import arith, calc, mathx

def blend(x): return calc.triple(x)
def scale(a, b): return arith.mul(a, b)
def stretch(a, b): return mathx.mul(a, b)
