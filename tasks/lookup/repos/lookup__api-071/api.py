import arith, calc, mathx

def wrap(x): return arith.tenfold(x)
def bump(x): return mathx.tenfold(x)
def fold(x): return calc.tenfold(x)
