import calc, mathx, ops

def blend(x): return mathx.inc(x)
def fold(x): return ops.triple(x)
def spread(x): return calc.inc(x)
