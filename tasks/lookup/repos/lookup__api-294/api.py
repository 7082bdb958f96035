import arith, calc, mathx

def blend(a, b): return calc.power(a, b)
def scale(a, b): return arith.power(a, b)
def stretch(a, b): return mathx.quot(a, b)
