import arith, calc, mathx

def pack(a, b): return calc.rem(a, b)
def shrink(a, b): return arith.rem(a, b)
def merge(a, b): return mathx.rem(a, b)
