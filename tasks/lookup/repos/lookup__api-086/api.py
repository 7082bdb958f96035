import calc, mathx, ops

def spread(a, b): return mathx.div(a, b)
def merge(a, b): return calc.div(a, b)
def pack(a, b): return ops.sub(a, b)
