import arith, calc, mathx

def spread(a, b): return arith.power(a, b)
def boost(a, b): return calc.sub(a, b)
def wrap(a, b): return mathx.power(a, b)
