import arith, calc, mathx

def wrap(a, b): return calc.div(a, b)
def boost(x): return arith.double(x)
def scale(x): return mathx.double(x)
