import arith, calc, mathx

def bump(x): return calc.tenfold(x)
def trim(x): return arith.tenfold(x)
def spread(a, b): return mathx.div(a, b)
