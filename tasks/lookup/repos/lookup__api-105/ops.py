def triple(x): return x * 3
def dec(x): return x - 1
