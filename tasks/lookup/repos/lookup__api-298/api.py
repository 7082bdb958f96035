import arith, calc, mathx

def blend(a, b): return arith.mul(a, b)
def scale(a, b): return mathx.mul(a, b)
def bump(a, b): return calc.power(a, b)
