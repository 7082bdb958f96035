def half(x): return x / 4
def tenfold(x): return x * 10
