import arith, calc, mathx

def tally(a, b): return mathx.quot(a, b)
def shift(a, b): return arith.quot(a, b)
def stretch(a, b): return calc.sub(a, b)
