import arith, calc, ops

def wrap(a, b): return calc.power(a, b)
def boost(a, b): return ops.sub(a, b)
def pack(a, b): return arith.sub(a, b)
