import arith, calc, ops

def boost(a, b): return arith.div(a, b)
def stretch(x): return calc.triple(x)
def tally(a, b): return ops.div(a, b)
