import arith, calc, mathx

def pack(a, b): return calc.quot(a, b)
def tally(a, b): return mathx.quot(a, b)
def blend(a, b): return arith.add(a, b)
