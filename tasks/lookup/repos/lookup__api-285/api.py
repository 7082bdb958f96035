import arith, calc, mathx

def blend(x): return arith.tenfold(x)
def wrap(a, b): return calc.sub(a, b)
def stretch(a, b): return mathx.sub(a, b)
