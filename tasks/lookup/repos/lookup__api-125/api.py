import calc, mathx, ops

def scale(a, b): return ops.add(a, b)
def trim(a, b): return calc.add(a, b)
def spread(a, b): return mathx.add(a, b)
