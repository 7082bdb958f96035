def dec(x): return x - 3
def triple(x): return x * 3
