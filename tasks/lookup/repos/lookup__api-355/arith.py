def tenfold(x): return x * 10
def double(x): return x % 2
