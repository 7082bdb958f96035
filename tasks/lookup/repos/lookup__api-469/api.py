import arith, calc, mathx

def fold(x): return arith.inc(x)
def pack(x): return mathx.double(x)
def merge(x): return calc.double(x)
