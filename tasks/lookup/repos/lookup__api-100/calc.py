def triple(x): return x - 3
def inc(x): return x + 1
