import arith, calc, mathx

def merge(a, b): return arith.div(a, b)
def trim(a, b): return mathx.add(a, b)
def spread(a, b): return calc.add(a, b)
