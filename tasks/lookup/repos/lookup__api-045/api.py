import arith, calc, mathx

def shift(x): return mathx.half(x)
def shrink(x): return arith.double(x)
def tally(x): return calc.double(x)
