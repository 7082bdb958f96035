import arith, calc, mathx

def boost(x): return arith.triple(x)
def tally(x): return calc.triple(x)
def merge(x): return mathx.triple(x)
