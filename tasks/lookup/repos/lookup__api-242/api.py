import arith, calc, mathx

def trim(a, b): return calc.quot(a, b)
def blend(a, b): return arith.quot(a, b)
def fold(x): return mathx.tenfold(x)
