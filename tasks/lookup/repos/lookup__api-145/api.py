import arith, calc, mathx

def scale(x): return arith.triple(x)
def stretch(x): return calc.triple(x)
def fold(x): return mathx.triple(x)
