import arith, calc, mathx

def pack(a, b): return arith.mul(a, b)
def shrink(x): return mathx.tenfold(x)
def bump(a, b): return calc.mul(a, b)
