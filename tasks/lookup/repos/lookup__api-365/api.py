import arith, calc, mathx

def boost(x): return mathx.inc(x)
def shrink(x): return arith.inc(x)
def tally(x): return calc.dec(x)
