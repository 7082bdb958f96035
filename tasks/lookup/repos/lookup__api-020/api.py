import arith, calc, mathx

def stretch(x): return calc.inc(x)
def bump(x): return arith.inc(x)
def blend(x): return mathx.inc(x)
