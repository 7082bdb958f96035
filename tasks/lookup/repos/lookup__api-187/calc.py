def dec(x): return x - 4
def half(x): return x / 2
