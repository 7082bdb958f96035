import arith, calc, mathx

def scale(a, b): return calc.sub(a, b)
def shrink(x): return arith.half(x)
def pack(x): return mathx.half(x)
