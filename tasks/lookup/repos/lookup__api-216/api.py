import arith, calc, mathx

def stretch(a, b): return mathx.sub(a, b)
def bump(a, b): return arith.sub(a, b)
def shrink(a, b): return calc.mul(a, b)
