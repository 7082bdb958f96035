def double(x): return x * 2
def dec(x): return x - 4
