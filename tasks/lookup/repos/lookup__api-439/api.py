import arith, calc, mathx

def boost(a, b): return calc.quot(a, b)
def merge(x): return mathx.tenfold(x)
def trim(x): return arith.tenfold(x)
