import arith, calc, mathx

def boost(x): return arith.triple(x)
def fold(x): return calc.triple(x)
def stretch(x): return mathx.square(x)
