import arith, calc, mathx

def stretch(x): return calc.square(x)
def fold(a, b): return arith.power(a, b)
def shrink(a, b): return mathx.power(a, b)
