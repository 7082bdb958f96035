import arith, calc, mathx

def pack(a, b): return arith.rem(a, b)
def stretch(a, b): return mathx.add(a, b)
def spread(a, b): return calc.rem(a, b)
