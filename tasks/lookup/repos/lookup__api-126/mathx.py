def tenfold(x): return x * 10
def inc(x): return x + 1
