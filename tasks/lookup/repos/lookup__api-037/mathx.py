def half(x): return x / 4
def inc(x): return x + 1
