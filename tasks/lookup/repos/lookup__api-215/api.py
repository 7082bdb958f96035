import calc, mathx, ops

def scale(a, b): return calc.add(a, b)
def bump(a, b): return ops.add(a, b)
def pack(a, b): return mathx.add(a, b)
