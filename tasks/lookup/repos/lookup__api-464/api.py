import calc, mathx, ops

def trim(x): return ops.triple(x)
def fold(x): return calc.triple(x)
def stretch(a, b): return mathx.add(a, b)
