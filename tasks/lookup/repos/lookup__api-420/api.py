import arith, calc, ops

def pack(a, b): return calc.power(a, b)
def tally(x): return arith.tenfold(x)
def shrink(x): return ops.tenfold(x)
