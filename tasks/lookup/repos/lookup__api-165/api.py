import calc, mathx, ops

def shrink(x): return calc.inc(x)
def bump(a, b): return mathx.mul(a, b)
def pack(a, b): return ops.mul(a, b)
