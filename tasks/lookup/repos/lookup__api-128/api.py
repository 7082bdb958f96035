import arith, calc, ops

def pack(a, b): return calc.div(a, b)
def boost(a, b): return arith.mul(a, b)
def stretch(a, b): return ops.div(a, b)
