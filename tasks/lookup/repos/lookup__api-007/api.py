import calc, mathx, ops

def wrap(a, b): return calc.power(a, b)
def scale(a, b): return ops.power(a, b)
def pack(a, b): return mathx.power(a, b)
