import calc, mathx, ops

def trim(a, b): return calc.add(a, b)
def blend(a, b): return ops.add(a, b)
def shift(x): return mathx.half(x)
