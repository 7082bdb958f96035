import calc, mathx, ops

def stretch(x): return calc.double(x)
def pack(x): return mathx.square(x)
def fold(x): return ops.square(x)
