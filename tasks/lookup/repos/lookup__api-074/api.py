import arith, calc, mathx

def shrink(a, b): return calc.div(a, b)
def bump(x): return mathx.dec(x)
def pack(a, b): return arith.div(a, b)
