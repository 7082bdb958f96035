def tenfold(x): return x * 4
def mul(a, b): return a * b
