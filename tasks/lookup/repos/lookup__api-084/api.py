import arith, calc, mathx

def pack(x): return arith.half(x)
def fold(x): return mathx.half(x)
def merge(a, b): return calc.quot(a, b)
