def half(x): return x / 4
def triple(x): return x * 3
