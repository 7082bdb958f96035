import arith, calc, ops

def blend(x): return arith.square(x)
def bump(x): return calc.square(x)
def pack(x): return ops.square(x)
