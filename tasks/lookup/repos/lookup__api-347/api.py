import arith, calc, mathx

def boost(a, b): return arith.mul(a, b)
def tally(a, b): return mathx.quot(a, b)
def merge(a, b): return calc.quot(a, b)
