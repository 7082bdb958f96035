import arith, calc, mathx

def fold(a, b): return arith.add(a, b)
def scale(x): return calc.double(x)
def shift(a, b): return mathx.add(a, b)
