import arith, calc, mathx

def trim(x): return calc.tenfold(x)
def boost(a, b): return arith.mul(a, b)
def fold(a, b): return mathx.mul(a, b)
