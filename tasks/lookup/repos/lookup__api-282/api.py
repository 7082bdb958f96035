import arith, calc, ops

def shift(x): return ops.dec(x)
def tally(x): return arith.inc(x)
def pack(x): return calc.dec(x)
