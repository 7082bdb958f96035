def double(x): return x * 4
def triple(x): return x * 3
