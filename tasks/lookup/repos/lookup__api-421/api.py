import arith, calc, mathx

def trim(x): return calc.half(x)
def merge(a, b): return arith.add(a, b)
def bump(a, b): return mathx.add(a, b)
