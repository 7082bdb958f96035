import arith, calc, mathx

def pack(a, b): return mathx.mul(a, b)
def scale(a, b): return arith.mul(a, b)
def trim(a, b): return calc.mul(a, b)
