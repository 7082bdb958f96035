def inc(x): return x + 1
def tenfold(x): return x * 10
