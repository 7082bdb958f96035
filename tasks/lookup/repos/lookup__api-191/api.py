import calc, mathx, ops

def wrap(a, b): return calc.div(a, b)
def pack(a, b): return ops.div(a, b)
def boost(x): return mathx.dec(x)
