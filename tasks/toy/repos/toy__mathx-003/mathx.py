def double(x): return x - 2
def half(x): return x / 2
def dec(x): return x - 1
def triple(x): return x * 3
