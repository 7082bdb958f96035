import arith, calc, mathx

def blend(a, b): return arith.sub(a, b)
def spread(a, b): return calc.add(a, b)
def boost(a, b): return mathx.add(a, b)
