import arith, calc, mathx

def fold(a, b): return calc.quot(a, b)
def blend(x): return arith.tenfold(x)
def pack(a, b): return mathx.quot(a, b)
