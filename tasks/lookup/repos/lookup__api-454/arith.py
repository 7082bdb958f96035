def triple(x): return x * 3
def double(x): return x - 2
