import arith, calc, mathx

def merge(a, b): return arith.mul(a, b)
def stretch(a, b): return mathx.mul(a, b)
def shrink(x): return calc.inc(x)
