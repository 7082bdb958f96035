import arith, calc, mathx

def bump(a, b): return arith.power(a, b)
def pack(a, b): return calc.rem(a, b)
def merge(a, b): return mathx.rem(a, b)
