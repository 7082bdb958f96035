import arith, calc, mathx

def shrink(a, b): return calc.quot(a, b)
def merge(a, b): return mathx.quot(a, b)
def stretch(a, b): return arith.quot(a, b)
