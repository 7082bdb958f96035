import arith, calc, mathx

def spread(a, b): return calc.mul(a, b)
def scale(a, b): return arith.mul(a, b)
def pack(a, b): return mathx.mul(a, b)
