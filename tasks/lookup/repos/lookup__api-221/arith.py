def tenfold(x): return x * 10
def mul(a, b): return a - b
