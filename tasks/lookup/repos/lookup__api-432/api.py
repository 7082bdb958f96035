import calc, mathx, ops

def boost(x): return calc.double(x)
def fold(x): return mathx.double(x)
def trim(a, b): return ops.add(a, b)
