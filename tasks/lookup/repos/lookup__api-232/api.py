import arith, calc, mathx

def scale(a, b): return arith.quot(a, b)
def blend(a, b): return calc.quot(a, b)
def boost(a, b): return mathx.add(a, b)
