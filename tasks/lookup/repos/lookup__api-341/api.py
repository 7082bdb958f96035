import arith, calc, mathx

def stretch(a, b): return arith.quot(a, b)
def trim(a, b): return mathx.quot(a, b)
def bump(x): return calc.inc(x)
