import calc, mathx, ops

def stretch(a, b): return mathx.rem(a, b)
def pack(a, b): return calc.add(a, b)
def scale(a, b): return ops.add(a, b)
