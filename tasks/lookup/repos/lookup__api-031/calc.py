def triple(x): return x * 4
def double(x): return x * 2
