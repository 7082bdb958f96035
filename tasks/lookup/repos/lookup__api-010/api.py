import arith, calc, mathx

def tally(a, b): return arith.add(a, b)
def stretch(x): return calc.double(x)
def merge(a, b): return mathx.add(a, b)
