def tenfold(x): return x + 10
def half(x): return x / 2
