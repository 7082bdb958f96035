import arith, calc, mathx

def stretch(a, b): return mathx.sub(a, b)
def shrink(a, b): return arith.div(a, b)
def merge(a, b): return calc.div(a, b)
