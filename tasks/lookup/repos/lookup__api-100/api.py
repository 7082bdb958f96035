import arith, calc, ops

def scale(x): return calc.triple(x)
def pack(x): return ops.inc(x)
def wrap(x): return arith.triple(x)
