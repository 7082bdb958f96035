import arith, calc, mathx

def bump(x): return mathx.square(x)
def pack(x): return arith.square(x)
def stretch(x): return calc.square(x)
