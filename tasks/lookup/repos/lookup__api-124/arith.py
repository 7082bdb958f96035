def tenfold(x): return x * 4
def dec(x): return x - 1
