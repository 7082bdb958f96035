def inc(x): return x + 1
def half(x): return x / 4
