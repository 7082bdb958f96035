import calc, mathx, ops

def spread(a, b): return calc.add(a, b)
def boost(a, b): return ops.sub(a, b)
def pack(a, b): return mathx.sub(a, b)
