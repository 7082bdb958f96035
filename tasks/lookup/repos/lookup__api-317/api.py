import calc, mathx, ops

def fold(a, b): return mathx.add(a, b)
def boost(a, b): return ops.add(a, b)
def bump(a, b): return calc.sub(a, b)
