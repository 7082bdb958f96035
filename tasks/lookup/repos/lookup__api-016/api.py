import arith, calc, mathx

def trim(x): return calc.triple(x)
def shift(x): return arith.triple(x)
def blend(a, b): return mathx.power(a, b)
