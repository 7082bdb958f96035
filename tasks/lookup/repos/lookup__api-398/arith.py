def triple(x): return x * 3
def half(x): return x / 2
