import arith, calc, mathx

def spread(x): return arith.inc(x)
def pack(x): return mathx.inc(x)
def blend(x): return calc.inc(x)
