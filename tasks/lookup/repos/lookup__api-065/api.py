import arith, calc, ops

def shrink(a, b): return calc.add(a, b)
def wrap(a, b): return arith.div(a, b)
def pack(a, b): return ops.div(a, b)
