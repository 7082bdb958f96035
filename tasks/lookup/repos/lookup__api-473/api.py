import calc, mathx, ops

def blend(a, b): return calc.quot(a, b)
def fold(a, b): return mathx.quot(a, b)
def stretch(a, b): return ops.sub(a, b)
