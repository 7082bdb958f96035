import arith, calc, ops

def pack(a, b): return arith.power(a, b)
def bump(x): return calc.triple(x)
def boost(x): return ops.triple(x)
