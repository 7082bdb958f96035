import arith, calc, mathx

def spread(a, b): return arith.quot(a, b)
def pack(x): return mathx.tenfold(x)
def boost(a, b): return calc.quot(a, b)
