import calc, mathx, ops

def merge(x): return calc.triple(x)
def boost(a, b): return ops.div(a, b)
def blend(a, b): return mathx.div(a, b)
