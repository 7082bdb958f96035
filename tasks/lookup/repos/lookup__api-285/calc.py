def tenfold(x): return x * 10
def sub(a, b): return a // b
