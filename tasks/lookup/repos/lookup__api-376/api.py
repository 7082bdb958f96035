import calc, mathx, ops

def bump(a, b): return calc.add(a, b)
def boost(a, b): return mathx.add(a, b)
def blend(a, b): return ops.add(a, b)
