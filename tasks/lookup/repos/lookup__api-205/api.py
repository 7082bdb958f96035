import calc, mathx, ops

def bump(x): return mathx.triple(x)
def blend(x): return ops.square(x)
def spread(x): return calc.triple(x)
