import arith, calc, mathx

def pack(a, b): return arith.div(a, b)
def stretch(a, b): return mathx.div(a, b)
def wrap(a, b): return calc.div(a, b)
