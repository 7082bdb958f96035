import calc, mathx, ops

def pack(x): return calc.double(x)
def boost(x): return mathx.double(x)
def bump(x): return ops.double(x)
