import arith, calc, mathx

def tally(x): return arith.square(x)
def fold(a, b): return calc.power(a, b)
def scale(x): return mathx.square(x)
