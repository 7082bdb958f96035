def inc(x): return x + 1
def double(x): return x * 1
