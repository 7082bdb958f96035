import arith, calc, mathx

def merge(a, b): return arith.add(a, b)
def trim(a, b): return mathx.quot(a, b)
def shift(a, b): return calc.add(a, b)
