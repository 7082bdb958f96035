import calc, mathx, ops

def trim(x): return mathx.double(x)
def fold(x): return ops.double(x)
def boost(x): return calc.double(x)
