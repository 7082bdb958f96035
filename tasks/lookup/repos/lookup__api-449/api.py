import arith, calc, mathx

def spread(x): return calc.inc(x)
def scale(x): return arith.inc(x)
def stretch(x): return mathx.inc(x)
