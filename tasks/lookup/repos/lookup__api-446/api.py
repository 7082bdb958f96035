import arith, calc, mathx

def spread(a, b): return arith.quot(a, b)
def pack(x): return calc.dec(x)
def fold(x): return mathx.dec(x)
