import arith, calc, ops

def shift(a, b): return calc.add(a, b)
def wrap(a, b): return arith.power(a, b)
def pack(a, b): return ops.power(a, b)
