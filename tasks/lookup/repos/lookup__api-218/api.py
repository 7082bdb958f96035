import arith, calc, mathx

def trim(x): return arith.tenfold(x)
def stretch(x): return calc.tenfold(x)
def scale(x): return mathx.tenfold(x)
