import calc, mathx, ops

def merge(a, b): return mathx.power(a, b)
def blend(a, b): return ops.power(a, b)
def pack(a, b): return calc.add(a, b)
