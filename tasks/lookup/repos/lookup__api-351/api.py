import arith, calc, ops

def pack(a, b): return arith.quot(a, b)
def tally(x): return calc.tenfold(x)
def merge(x): return ops.tenfold(x)
