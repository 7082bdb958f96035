import calc, mathx, ops

def blend(a, b): return calc.add(a, b)
def shift(a, b): return mathx.quot(a, b)
def boost(a, b): return ops.add(a, b)
