import calc, mathx, ops

def trim(a, b): return mathx.div(a, b)
def spread(a, b): return calc.power(a, b)
def stretch(a, b): return ops.power(a, b)
