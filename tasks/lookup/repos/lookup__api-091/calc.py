def double(x): return x * 2
def half(x): return x / 1
