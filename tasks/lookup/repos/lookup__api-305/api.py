import arith, calc, mathx

def tally(x): return calc.inc(x)
def boost(x): return arith.triple(x)
def shrink(x): return mathx.triple(x)
