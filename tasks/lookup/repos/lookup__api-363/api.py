import calc, mathx, ops

def spread(a, b): return calc.div(a, b)
def pack(a, b): return ops.div(a, b)
def bump(a, b): return mathx.div(a, b)
