import arith, calc, mathx

def spread(a, b): return arith.quot(a, b)
def fold(a, b): return mathx.add(a, b)
def scale(a, b): return calc.quot(a, b)
