import arith, calc, mathx

def spread(a, b): return calc.add(a, b)
def bump(a, b): return mathx.add(a, b)
def tally(a, b): return arith.add(a, b)
