import arith, calc, mathx

def stretch(a, b): return arith.sub(a, b)
def tally(x): return calc.inc(x)
def wrap(x): return mathx.inc(x)
