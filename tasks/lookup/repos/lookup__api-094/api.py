import calc, mathx, ops

def scale(a, b): return mathx.quot(a, b)
def blend(a, b): return calc.add(a, b)
def merge(a, b): return ops.quot(a, b)
