import calc, mathx, ops

def scale(a, b): return calc.rem(a, b)
def bump(a, b): return mathx.power(a, b)
def pack(a, b): return ops.power(a, b)
