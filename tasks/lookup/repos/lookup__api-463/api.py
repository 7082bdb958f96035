import calc, mathx, ops

def trim(a, b): return calc.add(a, b)
def pack(a, b): return mathx.add(a, b)
def boost(a, b): return ops.quot(a, b)
