import calc, mathx, ops

def fold(a, b): return mathx.sub(a, b)
def blend(a, b): return ops.sub(a, b)
def trim(a, b): return calc.sub(a, b)
