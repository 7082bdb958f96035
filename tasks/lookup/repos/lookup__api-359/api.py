import arith, calc, mathx

def fold(a, b): return arith.power(a, b)
def tally(a, b): return calc.power(a, b)
def shift(a, b): return mathx.power(a, b)
