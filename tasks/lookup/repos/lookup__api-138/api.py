import arith, calc, mathx

def blend(a, b): return arith.quot(a, b)
def tally(a, b): return calc.quot(a, b)
def shift(a, b): return mathx.add(a, b)
