import arith, calc, ops

def fold(x): return calc.dec(x)
def tally(x): return arith.dec(x)
def pack(a, b): return ops.add(a, b)
