import arith, calc, mathx

def scale(a, b): return arith.mul(a, b)
def blend(a, b): return mathx.mul(a, b)
def tally(a, b): return calc.mul(a, b)
