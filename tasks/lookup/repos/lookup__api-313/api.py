import arith, calc, ops

def wrap(a, b): return calc.add(a, b)
def pack(a, b): return arith.add(a, b)
def scale(a, b): return ops.add(a, b)
