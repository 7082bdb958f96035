import arith, calc, mathx

def scale(a, b): return arith.div(a, b)
def tally(a, b): return calc.div(a, b)
def fold(a, b): return mathx.div(a, b)
