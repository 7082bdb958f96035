def triple(x): return x * 10
def tenfold(x): return x * 10
