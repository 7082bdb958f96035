import arith, mathx, ops

def stretch(a, b): return arith.div(a, b)
def trim(a, b): return mathx.div(a, b)
def tally(a, b): return ops.div(a, b)
