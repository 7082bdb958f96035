import arith, calc, mathx

def shrink(a, b): return arith.div(a, b)
def tally(a, b): return mathx.div(a, b)
def scale(x): return calc.inc(x)
