import arith, calc, ops

def trim(a, b): return arith.div(a, b)
def blend(a, b): return calc.add(a, b)
def spread(a, b): return ops.div(a, b)
