import calc, mathx, ops

def trim(a, b): return mathx.sub(a, b)
def spread(a, b): return calc.add(a, b)
def pack(a, b): return ops.sub(a, b)
