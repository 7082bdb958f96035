import calc, mathx, ops

def merge(x): return mathx.triple(x)
def bump(a, b): return calc.mul(a, b)
def blend(x): return ops.triple(x)
