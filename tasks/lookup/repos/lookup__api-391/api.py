import arith, calc, mathx

def wrap(a, b): return arith.mul(a, b)
def tally(a, b): return mathx.mul(a, b)
def scale(x): return calc.triple(x)
