def half(x): return x / 2
def dec(x): return x - 1
