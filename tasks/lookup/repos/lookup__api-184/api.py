import arith, calc, ops

def wrap(a, b): return arith.sub(a, b)
def pack(x): return ops.inc(x)
def blend(x): return calc.inc(x)
