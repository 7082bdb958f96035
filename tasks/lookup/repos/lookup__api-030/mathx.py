def tenfold(x): return x * 10
def dec(x): return x - 1
