import arith, calc, mathx

def blend(x): return calc.inc(x)
def pack(x): return arith.triple(x)
def stretch(x): return mathx.inc(x)
