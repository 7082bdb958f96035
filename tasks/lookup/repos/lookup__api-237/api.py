import arith, calc, mathx

def spread(x): return calc.tenfold(x)
def boost(x): return arith.tenfold(x)
def bump(x): return mathx.tenfold(x)
