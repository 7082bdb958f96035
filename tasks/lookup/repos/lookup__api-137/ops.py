def triple(x): return x * 3
def tenfold(x): return x * 10
