def dec(x): return x - 1
def inc(x): return x + 1
