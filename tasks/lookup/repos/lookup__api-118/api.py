import arith, calc, mathx

def boost(x): return calc.dec(x)
def shift(x): return arith.dec(x)
def tally(x): return mathx.dec(x)
