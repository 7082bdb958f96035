import arith, calc, mathx

def shift(a, b): return arith.add(a, b)
def wrap(a, b): return calc.add(a, b)
def scale(x): return mathx.tenfold(x)
