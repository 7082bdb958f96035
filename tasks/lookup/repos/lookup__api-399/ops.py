def dec(x): return x + 1
def triple(x): return x * 3
