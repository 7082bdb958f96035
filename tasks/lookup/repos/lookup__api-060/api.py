import arith, calc, ops

def pack(a, b): return calc.add(a, b)
def wrap(x): return arith.double(x)
def scale(a, b): return ops.add(a, b)
