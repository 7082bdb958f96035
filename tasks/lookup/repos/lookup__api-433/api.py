import arith, calc, mathx

def tally(a, b): return calc.sub(a, b)
def boost(a, b): return mathx.quot(a, b)
def merge(a, b): return arith.sub(a, b)
