import arith, calc, mathx

def bump(a, b): return arith.div(a, b)
def merge(a, b): return mathx.div(a, b)
def blend(a, b): return calc.div(a, b)
