import arith, calc, ops

def pack(a, b): return arith.div(a, b)
def stretch(x): return calc.half(x)
def blend(a, b): return ops.div(a, b)
