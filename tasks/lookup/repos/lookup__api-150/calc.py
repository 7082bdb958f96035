def inc(x): return x * 1
def dec(x): return x - 1
