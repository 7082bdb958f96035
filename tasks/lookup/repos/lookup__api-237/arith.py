def double(x): return x * 2
def tenfold(x): return x * 10
