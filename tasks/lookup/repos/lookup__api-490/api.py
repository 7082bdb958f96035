import arith, mathx, ops

def trim(a, b): return arith.quot(a, b)
def tally(a, b): return ops.quot(a, b)
def pack(a, b): return mathx.quot(a, b)
